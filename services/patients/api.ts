import { createRoute, z } from '@hono/zod-openapi';
import { patientStatuses } from '../../events/patients';
import { birthDate as isoBirthDate, changes, email as emailAddress, text } from '../../http/refinements';
import { errorResponses, idParam, jsonBody, jsonContent } from '../../http/schemas';

const name = text().trim().min(1).max(200).openapi({ example: 'Ana Lima' });
const email = emailAddress().max(320).openapi({ example: 'ana@example.org' });
const birthDate = isoBirthDate().nullable().openapi({ example: '1990-04-01' });
const phone = text().trim().min(3).max(40).nullable().openapi({ example: '+351 912 345 678' });

export const patientSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string(),
    birthDate: z.string().nullable(),
    phone: z.string().nullable(),
    status: z.enum(patientStatuses),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Patient');

const newPatient = z.object({ name, email, birthDate: birthDate.optional(), phone: phone.optional() }).strict().openapi('NewPatient');
const patientChanges = changes({
  name: name.optional(),
  email: email.optional(),
  birthDate: birthDate.optional(),
  phone: phone.optional(),
}).openapi('PatientChanges');

const tags = ['patients'];

export const registerRoute = createRoute({
  method: 'post',
  path: '/patients',
  tags,
  summary: 'Register a patient (emits PatientRegistered)',
  request: { body: jsonBody(newPatient) },
  responses: { 201: jsonContent(patientSchema, 'the registered patient'), ...errorResponses(400, 413, 503) },
});

export const getRoute = createRoute({
  method: 'get',
  path: '/patients/{id}',
  tags,
  summary: "A patient, from this instance's read model",
  request: { params: idParam },
  responses: { 200: jsonContent(patientSchema, 'the patient'), ...errorResponses(400, 404, 503) },
});

export const listRoute = createRoute({
  method: 'get',
  path: '/patients',
  tags,
  summary: "Patients, from this instance's read model",
  request: {
    query: z.object({
      name: text().max(200).optional().openapi({ description: 'case-insensitive part of the name' }),
      status: z.enum(patientStatuses).optional(),
    }),
  },
  responses: { 200: jsonContent(z.object({ items: z.array(patientSchema) }), 'matching patients'), ...errorResponses(400, 503) },
});

export const updateRoute = createRoute({
  method: 'patch',
  path: '/patients/{id}',
  tags,
  summary: 'Change a patient (emits PatientUpdated)',
  request: { params: idParam, body: jsonBody(patientChanges) },
  responses: { 200: jsonContent(patientSchema, 'the patient as it is now'), ...errorResponses(400, 404, 413, 503) },
});

export const deactivateRoute = createRoute({
  method: 'post',
  path: '/patients/{id}/deactivate',
  tags,
  summary: 'Deactivate a patient (emits PatientDeactivated); repeating it is harmless',
  request: { params: idParam },
  responses: { 200: jsonContent(patientSchema, 'the patient, INACTIVE'), ...errorResponses(400, 404, 503) },
});
