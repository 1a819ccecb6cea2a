import { narrowed, ownersOf, ownScope } from '../../libraries/auth/guard';
import type { Database } from '../../libraries/db/pool';
import { createRouter } from '../../libraries/http/app';
import { idempotentCommands, respond } from '../../libraries/http/idempotency';
import { NotFoundError } from '../../libraries/common/domain-errors';
import { sagaId, type SagaKind } from '../../workflows/definitions';
import type { Context } from 'hono';
import { consistencyHeader, formatConsistencyToken, readYourWrites } from '../../libraries/http/consistency';
import { preferenceAppliedHeader, preferredWaitSeconds } from '../../libraries/http/prefer';
import type { InstanceContext } from '../../libraries/runtime/service-instance';
import { cancelRoute, completeRoute, getRoute, listRoute, sagaRoute, scheduleRoute, updateRoute } from './api';
import { bookConsultation } from './booking';
import { startCancellationAfterMark } from './cancellation';
import { complete, requestCancellation, updateReason } from './commands';
import { findConsultation, type ConsultationRow } from './consultations';
import { findConsultationView, listConsultationViews, namesFor, toConsultationResource, viewShows } from './queries';
import type { SagaClient } from './saga-client';

/**
 * /consultations: commands start sagas (through Temporal) or change the write
 * model (through the outbox); queries read this instance's read model only.
 * A consultation is its patient's and its physician's: whose it is comes from
 * scheduling's own write model, which has it from the saga's first step.
 */
export function consultationRoutes(sagas: SagaClient, { databases, config, logger, guard }: InstanceContext) {
  const write = databases.write.db;
  const read = databases.read.db;
  // Cancel and complete run once per Idempotency-Key; POST /consultations has its own (the saga's id).
  const once = idempotentCommands(databases.write);
  const caughtUp = readYourWrites((token) => viewShows(read, token), config.CONSISTENCY_WAIT_MS);
  /**
   * Under Prefer: wait, the saga's own result (Temporal long-polls it), then
   * the consultation from the write model with its version as the token a
   * following read sends back; undefined when the saga has not ended in time.
   */
  const sagaOutcome = async (c: Context, kind: SagaKind, id: string, waitSeconds: number) => {
    c.header(preferenceAppliedHeader, `wait=${waitSeconds}`);
    if (!(await sagas.outcome(kind, id, waitSeconds * 1000))) return undefined;
    const row = await findConsultation(write, id);
    if (row) c.header(consistencyHeader, tokenOf(row));
    return row;
  };
  const consultation = { resource: { kind: 'consultation', owners: async (id: string) => ownersOf(await findConsultation(write, id)) } };

  return createRouter()
    .openapi(
      guard(scheduleRoute(config.BOOKING_HORIZON_DAYS), { madeFor: (body) => ({ patient: [String(body.patientId)] }) }),
      async (c) => {
        const { reason, ...body } = c.req.valid('json');
        const { consultationId, sagaId } = await bookConsultation(
          sagas,
          { ...body, reason: reason ?? null },
          { idempotencyKey: c.req.valid('header')['idempotency-key'], correlationId: c.get('correlationId') },
        );
        c.header('Location', `/consultations/${consultationId}`);
        const waitSeconds = preferredWaitSeconds(c.req.header('prefer'), config.PREFER_WAIT_MAX_SECONDS);
        const ended = waitSeconds === undefined ? undefined : await sagaOutcome(c, 'schedule', consultationId, waitSeconds);
        if (ended && ended.status !== 'PENDING') return c.json(await resource(read, ended), 201);
        // The saga's first step writes version 1: a read that sends this back is never a 404.
        c.header(consistencyHeader, formatConsistencyToken({ id: consultationId, version: 1 }));
        return c.json({ consultationId, sagaId, status: 'PENDING' as const }, 202);
      },
    )
    .openapi(guard(getRoute, consultation), async (c) => {
      const { id } = c.req.valid('param');
      await caughtUp(c);
      const row = await findConsultationView(read, id);
      if (!row) throw new NotFoundError('consultation', id);
      return c.json(toConsultationResource(row), 200);
    })
    .openapi(guard(listRoute), async (c) => {
      // A patient or physician lists their own only; asking for someone else's finds nothing.
      const filter = narrowed(c.req.valid('query'), ownScope(c));
      await caughtUp(c);
      const rows = filter ? await listConsultationViews(read, filter) : [];
      return c.json({ items: rows.map(toConsultationResource) }, 200);
    })
    .openapi(guard(updateRoute, consultation), async (c) => {
      const { id } = c.req.valid('param');
      const row = await updateReason(write, id, c.req.valid('json').reason ?? null, c.get('correlationId'));
      c.header(consistencyHeader, tokenOf(row));
      return c.json(await resource(read, row), 200);
    })
    .openapi(guard(cancelRoute, consultation), async (c) => {
      const { id } = c.req.valid('param');
      const reason = (c.req.valid('json') as { reason?: string | null } | undefined)?.reason ?? null;
      const answer = await once(c, { reason }, async (db) => {
        await requestCancellation(db, id);
        return {
          status: 202 as const,
          body: { consultationId: id, sagaId: sagaId('cancel', id), status: 'CANCELLATION_REQUESTED' as const },
        };
      });
      // Only now that the mark is committed; a failed start still answers 202 and is left to the reconciler.
      await startCancellationAfterMark(sagas, write, id, { correlationId: c.get('correlationId'), reason }, logger);
      const waitSeconds = preferredWaitSeconds(c.req.header('prefer'), config.PREFER_WAIT_MAX_SECONDS);
      const ended = waitSeconds === undefined ? undefined : await sagaOutcome(c, 'cancel', id, waitSeconds);
      if (ended?.status === 'CANCELLED') return c.json(await resource(read, ended), 200);
      return respond(c, answer);
    })
    .openapi(guard(completeRoute, consultation), async (c) => {
      const { id } = c.req.valid('param');
      const answer = await once(c, null, async (db) => {
        const row = await complete(db, id, c.get('correlationId'));
        // Built before the commit, so that a replay sends exactly this answer.
        return { status: 200 as const, body: await resource(read, row), headers: { [consistencyHeader]: tokenOf(row) } };
      });
      return respond(c, answer);
    })
    .openapi(guard(sagaRoute, consultation), async (c) => {
      const { id } = c.req.valid('param');
      const states = await sagas.states(id);
      const latest = states.at(-1);
      if (!latest) throw new NotFoundError('saga of consultation', id);
      const { consultationId: _omit, ...top } = latest;
      return c.json({ ...top, sagas: states.map(({ consultationId: _id, ...state }) => state) }, 200);
    });
}

/** Scheduling's HTTP API, for typed clients (`hc<SchedulingApp>(url)`). */
export type SchedulingApp = ReturnType<typeof consultationRoutes>;

/** What a read sends back to be answered only by an instance that shows this version of the consultation. */
const tokenOf = (row: ConsultationRow) => formatConsistencyToken({ id: row.id, version: row.version });

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
