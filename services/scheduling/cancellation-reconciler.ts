import { and, asc, eq, lt } from 'drizzle-orm';
import type { PeriodicJob } from '../../lib/periodic';
import type { Logger } from '../../logging/logger';
import type { Executor } from '../../messaging/executor';
import type { SagaGateway } from './sagas';
import { consultations, type ConsultationRow } from './write-schema';

export type CancellationStarter = Pick<SagaGateway, 'startCancellation'>;

/**
 * Starts saga 2 for a consultation marked CANCELLATION_REQUESTED. Its
 * workflow id is derived from the consultation, so a saga already running (or
 * done) makes this a no-op: the gateway answers `started: false`.
 */
export async function startCancellationSaga(
  sagas: CancellationStarter,
  row: ConsultationRow,
  request: { correlationId: string; reason?: string | null },
): Promise<{ started: boolean }> {
  const { started } = await sagas.startCancellation(
    { consultationId: row.id, correlationId: request.correlationId, reason: request.reason ?? null },
    { patientId: row.patientId, physicianId: row.physicianId },
  );
  return { started };
}

export interface CancellationReconcilerOptions {
  /** Scheduling's write database. */
  db: Executor;
  sagas: CancellationStarter;
  logger: Logger;
  /** Pause between passes (the periodic job's interval). */
  intervalMs?: number;
  /** Rows marked more recently than this are left to the request that marked them. */
  minAgeMs?: number;
  batchSize?: number;
}

/**
 * One pass: (re)starts saga 2 for every consultation that has been
 * CANCELLATION_REQUESTED for at least minAgeMs, the ones whose start failed
 * after the mark committed (Temporal down, the process gone). Returns the ids
 * whose saga it actually started. One failure does not stop the others.
 */
export async function reconcileCancellations(options: CancellationReconcilerOptions, now = new Date()): Promise<string[]> {
  const { db, sagas, logger, minAgeMs = 10_000, batchSize = 100 } = options;
  const stuck = await db
    .select()
    .from(consultations)
    .where(and(eq(consultations.status, 'CANCELLATION_REQUESTED'), lt(consultations.updatedAt, new Date(now.getTime() - minAgeMs))))
    .orderBy(asc(consultations.updatedAt))
    .limit(batchSize);
  const started: string[] = [];
  for (const row of stuck) {
    try {
      // The caller's reason went with the failed start; the saga is told who started it instead.
      const outcome = await startCancellationSaga(sagas, row, { correlationId: crypto.randomUUID(), reason: null });
      if (outcome.started) {
        started.push(row.id);
        logger.info('cancellation saga started by the reconciler', { consultationId: row.id });
      }
    } catch (error) {
      logger.warn('cancellation saga still not started', { consultationId: row.id, error });
    }
  }
  return started;
}

/** Runs reconcileCancellations every intervalMs (5 s by default), on every scheduling instance: starts are idempotent. */
export function cancellationReconcilerJob(options: CancellationReconcilerOptions): PeriodicJob {
  return { name: 'cancellation-reconciler', intervalMs: options.intervalMs ?? 5_000, run: async () => void (await reconcileCancellations(options)) };
}
