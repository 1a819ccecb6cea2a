import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../libraries/auth/secured';
import { consultationStatuses, consultationStatusReasons } from '../../libraries/events/consultations';
import { bookingStart, changes, text } from '../../libraries/http/refinements';
import { consistencyTokenParameter } from '../../libraries/http/consistency';
import { preferWaitParameter } from '../../libraries/http/prefer';
import { errorResponses, idParam, jsonBody, jsonContent, listContent } from '../../libraries/http/schemas';

const reason = text({ multiline: true }).trim().min(1).max(1000).nullable().openapi({ example: 'annual check-up' });

export const consultationSchema = z
  .object({
    id: z.uuid(),
    patientId: z.uuid(),
    patientName: z.string().nullable(),
    physicianId: z.uuid(),
    physicianName: z.string().nullable(),
    physicianSpecialty: z.string().nullable(),
    startsAt: z.string(),
    durationMinutes: z.number().int(),
    reason: z.string().nullable(),
    status: z.enum(consultationStatuses),
    statusReason: z.enum(consultationStatusReasons).nullable(),
    updatedAt: z.string(),
  })
  .openapi('Consultation');

const sagaAccepted = z
  .object({ consultationId: z.uuid(), sagaId: z.string(), status: z.enum(consultationStatuses) })
  .openapi('SagaAccepted');

const sagaSchema = z
  .object({
    sagaId: z.string(),
    kind: z.enum(['schedule', 'cancel']),
    status: z.string(),
    steps: z.array(z.object({ name: z.string(), at: z.string(), detail: z.string().optional() })),
    startedAt: z.string(),
    closedAt: z.string().optional(),
  })
  .openapi('Saga');

const newConsultation = (bookingHorizonDays: number) =>
  z
    .object({
      patientId: z.uuid(),
      physicianId: z.uuid(),
      startsAt: bookingStart(bookingHorizonDays).openapi({ example: '2027-01-07T10:00:00Z' }),
      durationMinutes: z.number().int().min(10).max(240).default(30),
      reason: reason.optional(),
    })
    .strict()
    .openapi('NewConsultation');

const tags = ['consultations'];

/**
 * The booking route, built with the instance's BOOKING_HORIZON_DAYS (routes.ts
 * passes it from the instance's config): the one route whose schema depends on
 * configuration, so the one built per app rather than at import.
 */
export const scheduleRoute = (bookingHorizonDays: number) =>
  createRoute(
    secured('consultations.book', {
      method: 'post',
      path: '/consultations',
      tags,
      summary:
        'Book a consultation: starts saga 1 and answers at once (202), or with its outcome (201) under Prefer: wait; Idempotency-Key makes a retried POST return the first answer',
      parameters: [preferWaitParameter],
      request: {
        headers: z.object({ 'idempotency-key': text().min(1).max(200).optional() }),
        body: jsonBody(newConsultation(bookingHorizonDays)),
      },
      responses: {
        201: jsonContent(
          consultationSchema,
          'under Prefer: wait, the saga ended in time: the consultation SCHEDULED, or REJECTED with its reason',
        ),
        202: jsonContent(sagaAccepted, 'the saga started; the consultation is PENDING'),
        ...errorResponses(400, 413, 422, 503),
      },
    }),
  );

export const getRoute = createRoute(
  secured('consultations.read', {
    method: 'get',
    path: '/consultations/{id}',
    tags,
    summary: "A consultation, from this instance's read model (404 until it has seen it; with a Consistency-Token, 503 until then)",
    parameters: [consistencyTokenParameter],
    request: { params: idParam },
    responses: { 200: jsonContent(consultationSchema, 'the consultation'), ...errorResponses(400, 404, 503) },
  }),
);

export const listRoute = createRoute(
  secured('consultations.read', {
    method: 'get',
    path: '/consultations',
    tags,
    summary: "Consultations, from this instance's read model",
    parameters: [consistencyTokenParameter],
    request: {
      query: z.object({
        patientId: z.uuid().optional(),
        physicianId: z.uuid().optional(),
        status: z.enum(consultationStatuses).optional(),
      }),
    },
    responses: { 200: listContent(consultationSchema, 'matching consultations'), ...errorResponses(400, 503) },
  }),
);

export const updateRoute = createRoute(
  secured('consultations.change', {
    method: 'patch',
    path: '/consultations/{id}',
    tags,
    summary: "Change a consultation's reason (emits ConsultationUpdated)",
    request: { params: idParam, body: jsonBody(changes({ reason: reason.optional() }).openapi('ConsultationChanges')) },
    responses: { 200: jsonContent(consultationSchema, 'the consultation as it is now'), ...errorResponses(400, 404, 409, 413, 503) },
  }),
);

export const cancelRoute = createRoute(
  secured('consultations.cancel', {
    method: 'post',
    path: '/consultations/{id}/cancel',
    tags,
    summary:
      'Cancel a SCHEDULED consultation: starts saga 2 (202), or answers with the consultation CANCELLED (200) under Prefer: wait; the same answer while cancelling or cancelled; 409 otherwise',
    parameters: [preferWaitParameter],
    request: {
      params: idParam,
      body: jsonBody(z.object({ reason: reason.optional() }).strict(), { required: false }),
    },
    responses: {
      200: jsonContent(consultationSchema, 'under Prefer: wait, saga 2 ended in time: the consultation CANCELLED, its records voided'),
      202: jsonContent(sagaAccepted, 'cancellation under way'),
      ...errorResponses(400, 404, 409, 413, 503),
    },
  }),
);

export const completeRoute = createRoute(
  secured('consultations.complete', {
    method: 'post',
    path: '/consultations/{id}/complete',
    tags,
    summary: 'SCHEDULED → DONE (emits ConsultationDone); 409 otherwise',
    request: { params: idParam },
    responses: { 200: jsonContent(consultationSchema, 'the consultation, DONE'), ...errorResponses(400, 404, 409, 503) },
  }),
);

export const sagaRoute = createRoute(
  secured('consultations.read', {
    method: 'get',
    path: '/consultations/{id}/saga',
    tags,
    summary: "The consultation's sagas, from their Temporal workflows: the latest at the top level, both under `sagas`",
    request: { params: idParam },
    responses: { 200: jsonContent(sagaSchema.extend({ sagas: z.array(sagaSchema) }), 'saga state'), ...errorResponses(400, 404, 503) },
  }),
);
