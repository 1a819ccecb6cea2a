import type { Database } from '../../libraries/db/pool';
import type { Executor } from '../../libraries/db/executor';
import type { ConsultationStatus } from '../../libraries/events/consultations';
import { NotFoundError } from '../../libraries/common/domain-errors';
import type { Logger } from '../../libraries/observability/logging/logger';
import { sagaId, type SagaKind } from '../../workflows/definitions';
import { bookConsultation, type BookingRequest } from './booking';
import { startCancellationAfterMark } from './cancellation';
import { complete, requestCancellation, updateReason } from './commands';
import { findConsultation, type ConsultationRow } from './consultations';
import { findConsultationView, listConsultationViews, namesFor, toConsultationResource } from './queries';
import type { SagaClient } from './saga-client';

/** A consultation as the API shows it, with the version a following read may ask for. */
export type ShownConsultation = Awaited<ReturnType<typeof toConsultationResource>> & { version: number };

/** What a request adds to a command: its correlation id, and how long it may wait for the saga's outcome (Prefer: wait). */
export interface CommandContext {
  correlationId: string;
  waitMs?: number | undefined;
}

/**
 * Runs a write at most once for this request (its Idempotency-Key) and gives
 * back what it returned then, as JSON; the route makes it from the request.
 */
export type Once = <T>(write: (db: Executor) => Promise<T>) => Promise<{ value: T; replayed: boolean }>;

export interface SchedulingUseCaseDependencies {
  sagas: SagaClient;
  write: Database;
  read: Database;
  logger: Logger;
}

/**
 * What scheduling's API does, one function per request, in the domain's
 * terms: each takes what the request said and returns what the answer
 * needs. Errors are the domain's (NotFoundError, InvalidTransitionError,
 * RequestReusedError); libraries/http/errors.ts turns them into answers.
 */
export function schedulingUseCases({ sagas, write, read, logger }: SchedulingUseCaseDependencies) {
  /** An answer built from the write model (fresher than the read model) with the names this instance knows. */
  const shown = async (row: ConsultationRow): Promise<ShownConsultation> => ({
    id: row.id,
    patientId: row.patientId,
    physicianId: row.physicianId,
    ...(await namesFor(read, row.patientId, row.physicianId)),
    startsAt: row.startsAt.toISOString(),
    durationMinutes: row.durationMinutes,
    reason: row.reason,
    status: row.status,
    statusReason: row.statusReason,
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  });

  /** The consultation once its saga has ended, waiting up to waitMs (Temporal long-polls); undefined if it has not. */
  const afterSaga = async (kind: SagaKind, id: string, waitMs: number | undefined) => {
    if (waitMs === undefined || !(await sagas.outcome(kind, id, waitMs))) return undefined;
    const row = await findConsultation(write, id);
    return row && shown(row);
  };

  return {
    /** Saga 1 started; with a wait, the consultation once it has left PENDING (`ended`), when it did in time. */
    async book(request: BookingRequest, context: CommandContext & { idempotencyKey?: string | undefined }) {
      const started = await bookConsultation(sagas, request, context);
      const ended = await afterSaga('schedule', started.consultationId, context.waitMs);
      return { ...started, ended };
    },

    /** The consultation as this instance's read model shows it. */
    async get(id: string) {
      const row = await findConsultationView(read, id);
      if (!row) throw new NotFoundError('consultation', id);
      return toConsultationResource(row);
    },

    /** Consultations matching the filter; none without one (a patient's or physician's own scope narrows it). */
    async list(filter: { patientId?: string; physicianId?: string; status?: ConsultationStatus } | undefined) {
      const rows = filter ? await listConsultationViews(read, filter) : [];
      return rows.map(toConsultationResource);
    },

    async changeReason(id: string, reason: string | null, context: CommandContext) {
      return shown(await updateReason(write, id, reason, context.correlationId));
    },

    /**
     * Marks the consultation CANCELLATION_REQUESTED (once per request), then
     * starts saga 2 (a failed start is left to the reconciler); with a wait,
     * the consultation once saga 2 has ended (`ended`), when it did in time.
     */
    async cancel(id: string, reason: string | null, context: CommandContext, once: Once) {
      const { replayed } = await once(async (db) => void (await requestCancellation(db, id)));
      // Only now that the mark is committed, never from inside its transaction.
      await startCancellationAfterMark(sagas, write, id, { correlationId: context.correlationId, reason }, logger);
      const ended = await afterSaga('cancel', id, context.waitMs);
      return { consultationId: id, sagaId: sagaId('cancel', id), status: 'CANCELLATION_REQUESTED' as const, replayed, ended };
    },

    /** SCHEDULED → DONE; a repeated request gets the first answer, built before the commit. */
    async complete(id: string, context: CommandContext, once: Once) {
      const { value, replayed } = await once(async (db) => shown(await complete(db, id, context.correlationId)));
      return { consultation: value, replayed };
    },

    /** The consultation's sagas, the latest last. */
    async sagas(id: string) {
      const states = await sagas.states(id);
      if (states.length === 0) throw new NotFoundError('saga of consultation', id);
      return states;
    },
  };
}

export type SchedulingUseCases = ReturnType<typeof schedulingUseCases>;
