import type { PeriodicJob } from '../../libraries/common/periodic';
import type { Logger } from '../../libraries/observability/logging/logger';
import type { Executor } from '../../libraries/db/executor';
import { startCancellationSaga, type CancellationStarter } from './cancellation';
import { consultationsInStatus, type StatusCursor } from './consultations';

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

/** Where the previous pass stopped: the next one goes on after it, so rows that stay CANCELLATION_REQUESTED never starve the rest. */
export type ReconcileCursor = StatusCursor;

/**
 * One pass over up to batchSize consultations that have been
 * CANCELLATION_REQUESTED for at least minAgeMs, oldest first after `after`:
 * (re)starts saga 2 for the ones whose start failed after the mark committed
 * (Temporal down, the process gone). Some rows stay in that state for long
 * (a saga waiting for records, one closed FAILED), so passes page on and wrap
 * around instead of looking at the same oldest rows for ever. Returns the ids
 * whose saga it actually started and where to go on from.
 */
export async function reconcileCancellations(
  options: CancellationReconcilerOptions,
  now = new Date(),
  after?: ReconcileCursor,
): Promise<{ started: string[]; next: ReconcileCursor | undefined }> {
  const { db, sagas, logger, minAgeMs = 10_000, batchSize = 100 } = options;
  const stuck = await consultationsInStatus(db, 'CANCELLATION_REQUESTED', {
    before: new Date(now.getTime() - minAgeMs),
    after,
    limit: batchSize,
  });
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
  const last = stuck.at(-1);
  // A short page means the end was reached: the next pass starts from the oldest again.
  return { started, next: last && stuck.length === batchSize ? { updatedAt: last.updatedAt, id: last.id } : undefined };
}

/** Runs reconcileCancellations every intervalMs (5 s by default), on every scheduling instance: starts are idempotent. */
export function cancellationReconcilerJob(options: CancellationReconcilerOptions): PeriodicJob {
  let cursor: ReconcileCursor | undefined;
  return {
    name: 'cancellation-reconciler',
    intervalMs: options.intervalMs ?? 5_000,
    run: async () => {
      cursor = (await reconcileCancellations(options, new Date(), cursor)).next;
    },
  };
}
