import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../libraries/auth/secured';
import { consultationStatuses } from '../../libraries/events/consultations';
import { recordStatuses } from '../../libraries/events/records';
import { changes, text } from '../../libraries/http/refinements';
import { consistencyTokenParameter } from '../../libraries/http/consistency';
import { errorResponses, idParam, jsonBody, jsonContent, listContent } from '../../libraries/http/schemas';

// Clinical text: a diagnosis and notes may run over several lines, a prescription is one line.
const diagnosis = text({ multiline: true }).trim().min(1).max(2000).openapi({ example: 'Essential hypertension' });
const notes = text({ multiline: true }).max(20_000).nullable().openapi({ example: 'Recheck blood pressure in 4 weeks.' });
const prescriptions = z
  .array(text().trim().min(1).max(500))
  .max(100)
  .openapi({ example: ['Lisinopril 10 mg once daily'] });

export const recordSchema = z
  .object({
    id: z.uuid(),
    consultationId: z.uuid(),
    patientId: z.uuid(),
    physicianId: z.uuid(),
    diagnosis: z.string(),
    notes: z.string().nullable(),
    prescriptions: z.array(z.string()),
    status: z.enum(recordStatuses),
    consultationStatus: z
      .enum(consultationStatuses)
      .nullable()
      .openapi({ description: 'the consultation status as records knows it; null until it has heard of it' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ClinicalRecord');

const newRecord = z
  .object({ consultationId: z.uuid(), diagnosis, notes: notes.optional(), prescriptions: prescriptions.optional() })
  .strict()
  .openapi('NewClinicalRecord');
const recordChanges = changes({
  diagnosis: diagnosis.optional(),
  notes: notes.optional(),
  prescriptions: prescriptions.optional(),
}).openapi('ClinicalRecordChanges');

const tags = ['records'];

export const createRecordRoute = createRoute(
  secured('records.write', {
    method: 'post',
    path: '/records',
    tags,
    summary: 'Write a record for a SCHEDULED or DONE consultation (emits ConsultationRecordCreated)',
    parameters: [consistencyTokenParameter],
    request: { body: jsonBody(newRecord) },
    responses: {
      201: jsonContent(recordSchema, 'the new record'),
      ...errorResponses(400, 404, 409, 413, 503),
    },
  }),
);

export const getRoute = createRoute(
  secured('records.read', {
    method: 'get',
    path: '/records/{id}',
    tags,
    summary: "A record, from this instance's read model",
    parameters: [consistencyTokenParameter],
    request: { params: idParam },
    responses: { 200: jsonContent(recordSchema, 'the record'), ...errorResponses(400, 404, 503) },
  }),
);

export const listRoute = createRoute(
  secured('records.read', {
    method: 'get',
    path: '/records',
    tags,
    summary: "Records, from this instance's read model",
    parameters: [consistencyTokenParameter],
    request: { query: z.object({ consultationId: z.uuid().optional().openapi({ description: 'records of this consultation' }) }) },
    responses: { 200: listContent(recordSchema, 'matching records'), ...errorResponses(400, 503) },
  }),
);

export const updateRoute = createRoute(
  secured('records.write', {
    method: 'patch',
    path: '/records/{id}',
    tags,
    summary: 'Amend an ACTIVE record (emits ConsultationRecordUpdated)',
    request: { params: idParam, body: jsonBody(recordChanges) },
    responses: { 200: jsonContent(recordSchema, 'the record as it is now'), ...errorResponses(400, 404, 409, 413, 503) },
  }),
);
