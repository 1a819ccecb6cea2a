import type { Database } from '../../db/pool';
import type { ServiceApp } from '../../http/app';
import { ApiError } from '../../http/errors';
import { idempotentCommands, respond } from '../../http/idempotency';
import { sagaId } from '../../workflows/definitions';
import type { InstanceContext } from '../runtime/instance';
import { cancelRoute, completeRoute, getRoute, listRoute, sagaRoute, scheduleRoute, updateRoute } from './api';
import { complete, requestCancellation, updateReason, type CommandResult } from './commands';
import { startCancellationSaga } from './cancellation-reconciler';
import { consultationIdForKey, requestFingerprint } from './idempotency';
import { findConsultationView, listConsultationViews, namesFor, toConsultationResource } from './queries';
import type { SagaGateway } from './sagas';
import { findConsultation } from './write-model';
import type { ConsultationRow } from './write-schema';

/**
 * Commands start sagas (through Temporal) or change the write model (through
 * the outbox); queries read this instance's read model only.
 */
export function schedulingRoutes(sagas: SagaGateway) {
  return (app: ServiceApp, { databases, config, logger }: InstanceContext): void => {
    const write = databases.write.db;
    const read = databases.read.db;
    // Cancel and complete run once per Idempotency-Key; POST /consultations has its own (the saga's id).
    const once = idempotentCommands(databases.write);

    app
      .openapi(scheduleRoute(config.BOOKING_HORIZON_DAYS), async (c) => {
        const body = c.req.valid('json');
        const key = c.req.valid('header')['idempotency-key'];
        const consultationId = key ? consultationIdForKey(key) : crypto.randomUUID();
        const booking = {
          patientId: body.patientId,
          physicianId: body.physicianId,
          startsAt: new Date(body.startsAt).toISOString(),
          durationMinutes: body.durationMinutes,
          reason: body.reason ?? null,
        };
        const request = key ? requestFingerprint(booking) : undefined;
        const { sagaId, started } = await sagas.startScheduling(
          { consultationId, ...booking, correlationId: c.get('correlationId') },
          request,
        );
        // A key names one booking: the same key with another booking is a client error, not a retry.
        if (!started && request !== (await sagas.schedulingRequest(consultationId))) {
          throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used for a different booking');
        }
        c.header('Location', `/consultations/${consultationId}`);
        return c.json({ consultationId, sagaId, status: 'PENDING' as const }, 202);
      })
      .openapi(getRoute, async (c) => {
        const { id } = c.req.valid('param');
        const row = await findConsultationView(read, id);
        if (!row) throw ApiError.notFound('consultation', id);
        return c.json(toConsultationResource(row), 200);
      })
      .openapi(listRoute, async (c) => {
        const rows = await listConsultationViews(read, c.req.valid('query'));
        return c.json({ items: rows.map(toConsultationResource) }, 200);
      })
      .openapi(updateRoute, async (c) => {
        const { id } = c.req.valid('param');
        const { reason } = c.req.valid('json');
        const row = unwrap(
          id,
          await updateReason(write, id, reason ?? null, c.get('correlationId')),
          'its reason can change only while PENDING or SCHEDULED',
        );
        return c.json(await resource(read, row), 200);
      })
      .openapi(cancelRoute, async (c) => {
        const { id } = c.req.valid('param');
        const reason = (c.req.valid('json') as { reason?: string | null } | undefined)?.reason ?? null;
        const answer = await once(c, { reason }, async (db) => {
          unwrap(id, await requestCancellation(db, id), 'only a SCHEDULED consultation can be cancelled');
          return {
            status: 202 as const,
            body: { consultationId: id, sagaId: sagaId('cancel', id), status: 'CANCELLATION_REQUESTED' as const },
          };
        });
        // Only now that the mark is committed: start saga 2 (again, if asked again; its id makes that harmless).
        // A failed start still answers 202: the request is recorded, and the reconciler starts the saga.
        // The mark is committed whatever happens here, so a failed lookup or start must not turn the answer into a 503.
        try {
          const row = await findConsultation(write, id);
          if (row?.status === 'CANCELLATION_REQUESTED')
            await startCancellationSaga(sagas, row, { correlationId: c.get('correlationId'), reason });
        } catch (error) {
          logger.warn('cancellation saga not started; the reconciler will start it', { consultationId: id, error });
        }
        return respond(c, answer);
      })
      .openapi(completeRoute, async (c) => {
        const { id } = c.req.valid('param');
        const answer = await once(c, null, async (db) => {
          const row = unwrap(id, await complete(db, id, c.get('correlationId')), 'only a SCHEDULED consultation can be completed');
          // Built before the commit, so that a replay sends exactly this answer.
          return { status: 200 as const, body: await resource(read, row) };
        });
        return respond(c, answer);
      })
      .openapi(sagaRoute, async (c) => {
        const { id } = c.req.valid('param');
        const states = await sagas.states(id);
        const latest = states.at(-1);
        if (!latest) throw ApiError.notFound('saga of consultation', id);
        const { consultationId: _omit, ...top } = latest;
        return c.json({ ...top, sagas: states.map(({ consultationId: _id, ...state }) => state) }, 200);
      });
  };
}

function unwrap(id: string, result: CommandResult, conflict: string): ConsultationRow {
  if (result.ok) return result.row;
  if (result.error === 'NOT_FOUND') throw ApiError.notFound('consultation', id);
  throw ApiError.conflict(`consultation ${id} is ${result.status}; ${conflict}`, { status: result.status });
}

/** An answer built from the write model (fresher than the read model) with the names this instance knows. */
async function resource(read: Database, row: ConsultationRow) {
  const names = await namesFor(read, row.patientId, row.physicianId);
  return {
    id: row.id,
    patientId: row.patientId,
    physicianId: row.physicianId,
    ...names,
    startsAt: row.startsAt.toISOString(),
    durationMinutes: row.durationMinutes,
    reason: row.reason,
    status: row.status,
    statusReason: row.statusReason,
    updatedAt: row.updatedAt.toISOString(),
  };
}
