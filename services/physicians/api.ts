import { createRoute, z } from '@hono/zod-openapi';
import { physicianStatuses } from '../../events/physicians';
import { changes, text } from '../../http/refinements';
import { errorResponses, idParam, jsonBody, jsonContent } from '../../http/schemas';
import { takenStatuses } from './write-schema';

const name = text().trim().min(1).max(200).openapi({ example: 'Dr. Rui Sá' });
const specialty = text().trim().min(1).max(100).openapi({ example: 'cardiology' });
const licenseNumber = text().trim().min(1).max(100).nullable().openapi({ example: 'OM-12345' });

export const physicianSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    specialty: z.string(),
    licenseNumber: z.string().nullable(),
    status: z.enum(physicianStatuses),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Physician');

export const slotSchema = z
  .object({
    consultationId: z.uuid(),
    startsAt: z.string(),
    endsAt: z.string(),
    status: z.enum(takenStatuses),
  })
  .openapi('PhysicianSlot');

const newPhysician = z.object({ name, specialty, licenseNumber: licenseNumber.optional() }).strict().openapi('NewPhysician');
const physicianChanges = changes({
  name: name.optional(),
  specialty: specialty.optional(),
  licenseNumber: licenseNumber.optional(),
}).openapi('PhysicianChanges');

const tags = ['physicians'];

export const registerRoute = createRoute({
  method: 'post',
  path: '/physicians',
  tags,
  summary: 'Register a physician (emits PhysicianRegistered)',
  request: { body: jsonBody(newPhysician) },
  responses: { 201: jsonContent(physicianSchema, 'the registered physician'), ...errorResponses(400, 413, 503) },
});

export const getRoute = createRoute({
  method: 'get',
  path: '/physicians/{id}',
  tags,
  summary: "A physician, from this instance's read model",
  request: { params: idParam },
  responses: { 200: jsonContent(physicianSchema, 'the physician'), ...errorResponses(400, 404, 503) },
});

export const listRoute = createRoute({
  method: 'get',
  path: '/physicians',
  tags,
  summary: "Physicians, from this instance's read model",
  request: {
    query: z.object({
      name: text().max(200).optional().openapi({ description: 'case-insensitive part of the name' }),
      specialty: text().max(100).optional().openapi({ description: 'the specialty, in any case' }),
      status: z.enum(physicianStatuses).optional(),
    }),
  },
  responses: { 200: jsonContent(z.object({ items: z.array(physicianSchema) }), 'matching physicians'), ...errorResponses(400, 503) },
});

export const updateRoute = createRoute({
  method: 'patch',
  path: '/physicians/{id}',
  tags,
  summary: 'Change a physician (emits PhysicianUpdated)',
  request: { params: idParam, body: jsonBody(physicianChanges) },
  responses: { 200: jsonContent(physicianSchema, 'the physician as it is now'), ...errorResponses(400, 404, 413, 503) },
});

export const deactivateRoute = createRoute({
  method: 'post',
  path: '/physicians/{id}/deactivate',
  tags,
  summary: 'Deactivate a physician (emits PhysicianDeactivated); repeating it is harmless',
  request: { params: idParam },
  responses: { 200: jsonContent(physicianSchema, 'the physician, INACTIVE'), ...errorResponses(400, 404, 503) },
});

export const slotsRoute = createRoute({
  method: 'get',
  path: '/physicians/{id}/slots',
  tags,
  summary: "The physician's taken time: HELD and CONFIRMED slots, from the write database (slots have no read model)",
  request: { params: idParam },
  responses: {
    200: jsonContent(z.object({ items: z.array(slotSchema) }), 'taken slots, earliest first'),
    ...errorResponses(400, 404, 503),
  },
});
