import { z } from '@hono/zod-openapi';
import { birthDate as isoBirthDate, email as emailAddress, text } from '../../libraries/http/refinements';
import { entityApi } from '../../libraries/runtime/entity';
import { patientEntity } from './entity';

const name = text().trim().min(1).max(200).openapi({ example: 'Ana Lima' });
const email = emailAddress().max(320).openapi({ example: 'ana@example.org' });
const birthDate = isoBirthDate().nullable().openapi({ example: '1990-04-01' });
const phone = text().trim().min(3).max(40).nullable().openapi({ example: '+351 912 345 678' });

/** /patients: the entity kit's five routes, with the patient's fields. */
export const patientApi = entityApi(patientEntity, {
  fields: { name: z.string(), email: z.string(), birthDate: z.string().nullable(), phone: z.string().nullable() },
  create: { name, email, birthDate: birthDate.optional(), phone: phone.optional() },
  filters: { name: text().max(200).optional().openapi({ description: 'case-insensitive part of the name' }) },
  access: {
    register: 'patients.register',
    get: 'patients.read',
    list: 'patients.list',
    update: 'patients.update',
    deactivate: 'patients.deactivate',
  },
});
