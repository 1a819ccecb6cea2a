import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../libraries/auth/secured';
import { text } from '../../libraries/http/refinements';
import { consistencyTokenParameter } from '../../libraries/http/consistency';
import { errorResponses, idParam, jsonContent } from '../../libraries/http/schemas';
import { entityApi } from '../../libraries/runtime/entity';
import { physicianEntity } from './entity';
import { takenStatuses } from './write-schema';

const name = text().trim().min(1).max(200).openapi({ example: 'Dr. Rui Sá' });
const specialty = text().trim().min(1).max(100).openapi({ example: 'cardiology' });
const licenseNumber = text().trim().min(1).max(100).nullable().openapi({ example: 'OM-12345' });

/** /physicians: the entity kit's five routes, with the physician's fields. */
export const physicianApi = entityApi(physicianEntity, {
  fields: { name: z.string(), specialty: z.string(), licenseNumber: z.string().nullable() },
  create: { name, specialty, licenseNumber: licenseNumber.optional() },
  filters: {
    name: text().max(200).optional().openapi({ description: 'case-insensitive part of the name' }),
    specialty: text().max(100).optional().openapi({ description: 'the specialty, in any case' }),
  },
  access: {
    register: 'physicians.register',
    get: 'physicians.read',
    list: 'physicians.read',
    update: 'physicians.update',
    deactivate: 'physicians.deactivate',
  },
});

export const slotSchema = z
  .object({
    consultationId: z.uuid(),
    startsAt: z.string(),
    endsAt: z.string(),
    status: z.enum(takenStatuses),
  })
  .openapi('PhysicianSlot');

export const slotsRoute = createRoute(
  secured('physicians.read', {
    method: 'get',
    path: '/physicians/{id}/slots',
    tags: ['physicians'],
    summary:
      "The physician's taken time: HELD and CONFIRMED slots, from the write database (slots have no read model); with a consultation's Consistency-Token, once its slot reflects that version",
    parameters: [consistencyTokenParameter],
    request: { params: idParam },
    responses: {
      200: jsonContent(z.object({ items: z.array(slotSchema) }), 'taken slots, earliest first'),
      ...errorResponses(400, 404, 503),
    },
  }),
);
