import type { Context } from 'hono';
import { narrowed, ownersOf, ownScope } from '../../libraries/auth/guard';
import { createRouter } from '../../libraries/http/app';
import { consistencyHeader, formatConsistencyToken, readYourWrites } from '../../libraries/http/consistency';
import { idempotentCommands, onceForRequest, replayedHeader } from '../../libraries/http/idempotency';
import { preferenceAppliedHeader, preferredWaitSeconds } from '../../libraries/http/prefer';
import type { InstanceContext } from '../../libraries/runtime/service-instance';
import { cancelRoute, completeRoute, getRoute, listRoute, sagaRoute, scheduleRoute, updateRoute } from './api';
import { findConsultation } from './consultations';
import { consultationReachable, viewShows } from './queries';
import type { SagaClient } from './saga-client';
import { schedulingUseCases, type ShownConsultation } from './use-cases';

/**
 * /consultations: each handler reads the request, calls one use case
 * (use-cases.ts) and answers with what it returned. Commands start sagas
 * (through Temporal) or change the write model (through the outbox); queries
 * read this instance's read model only. A consultation is its patient's and
 * its physician's: whose it is comes from scheduling's own write model,
 * which has it from the saga's first step.
 */
export function consultationRoutes(sagas: SagaClient, { databases, config, logger, guard }: InstanceContext) {
  const write = databases.write.db;
  const consultations = schedulingUseCases({ sagas, write, read: databases.read.db, logger });
  // Cancel and complete run once per Idempotency-Key; POST /consultations has its own (the saga's id).
  const idempotent = idempotentCommands(databases.write);
  const caughtUp = readYourWrites(
    (token) => viewShows(databases.read.db, token),
    config.CONSISTENCY_WAIT_MS,
    (token) => consultationReachable(write, (id) => sagas.schedulingStarted(id), token),
  );
  const consultation = { resource: { kind: 'consultation', owners: async (id: string) => ownersOf(await findConsultation(write, id)) } };

  const commandContext = (c: Context) => ({ correlationId: c.get('correlationId') as string });
  /** A saga's command also waits for the outcome under Prefer: wait. */
  const sagaCommandContext = (c: Context) => {
    const waitSeconds = preferredWaitSeconds(c.req.header('prefer'), config.PREFER_WAIT_MAX_SECONDS);
    return { ...commandContext(c), waitMs: waitSeconds === undefined ? undefined : waitSeconds * 1000 };
  };
  /** Said back once the command went through: the wait it was granted. */
  const waited = (c: Context, { waitMs }: { waitMs: number | undefined }) =>
    waitMs !== undefined && c.header(preferenceAppliedHeader, `wait=${waitMs / 1000}`);
  /** A consultation in an answer, with the token a following read sends back (none for an answer stored before tokens). */
  const answered = (c: Context, { version, ...shown }: ShownConsultation) => {
    if (version !== undefined) c.header(consistencyHeader, formatConsistencyToken({ id: shown.id, version }));
    return shown;
  };
  const markReplay = (c: Context, replayed: boolean) => replayed && c.header(replayedHeader, 'true');

  return createRouter()
    .openapi(
      guard(scheduleRoute(config.BOOKING_HORIZON_DAYS), { madeFor: (body) => ({ patient: [String(body.patientId)] }) }),
      async (c) => {
        const { reason, ...body } = c.req.valid('json');
        const context = sagaCommandContext(c);
        const { consultationId, sagaId, ended } = await consultations.book(
          { ...body, reason: reason ?? null },
          { ...context, idempotencyKey: c.req.valid('header')['idempotency-key'] },
        );
        c.header('Location', `/consultations/${consultationId}`);
        waited(c, context);
        if (ended && ended.status !== 'PENDING') return c.json(answered(c, ended), 201);
        // The saga's first step writes version 1: a read that sends this back is never a 404.
        c.header(consistencyHeader, formatConsistencyToken({ id: consultationId, version: 1 }));
        return c.json({ consultationId, sagaId, status: 'PENDING' as const }, 202);
      },
    )
    .openapi(guard(getRoute, consultation), async (c) => {
      await caughtUp(c);
      return c.json(await consultations.get(c.req.valid('param').id), 200);
    })
    .openapi(guard(listRoute), async (c) => {
      await caughtUp(c);
      // A patient or physician lists their own only; asking for someone else's finds nothing.
      return c.json({ items: await consultations.list(narrowed(c.req.valid('query'), ownScope(c))) }, 200);
    })
    .openapi(guard(updateRoute, consultation), async (c) => {
      const changed = await consultations.changeReason(c.req.valid('param').id, c.req.valid('json').reason ?? null, commandContext(c));
      return c.json(answered(c, changed), 200);
    })
    .openapi(guard(cancelRoute, consultation), async (c) => {
      const reason = (c.req.valid('json') as { reason?: string | null } | undefined)?.reason ?? null;
      const once = onceForRequest(idempotent, c, { reason });
      const context = sagaCommandContext(c);
      const { ended, replayed, ...accepted } = await consultations.cancel(c.req.valid('param').id, reason, context, once);
      waited(c, context);
      if (ended?.status === 'CANCELLED') return c.json(answered(c, ended), 200);
      if (ended) answered(c, ended);
      markReplay(c, replayed);
      return c.json(accepted, 202);
    })
    .openapi(guard(completeRoute, consultation), async (c) => {
      const once = onceForRequest(idempotent, c, null);
      const { consultation: done, replayed } = await consultations.complete(c.req.valid('param').id, commandContext(c), once);
      markReplay(c, replayed);
      return c.json(answered(c, done), 200);
    })
    .openapi(guard(sagaRoute, consultation), async (c) => {
      const states = await consultations.sagas(c.req.valid('param').id);
      const { consultationId: _omit, ...latest } = states.at(-1)!;
      return c.json({ ...latest, sagas: states.map(({ consultationId: _id, ...state }) => state) }, 200);
    });
}

/** Scheduling's HTTP API, for typed clients (`hc<SchedulingApp>(url)`). */
export type SchedulingApp = ReturnType<typeof consultationRoutes>;
