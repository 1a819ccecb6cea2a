import { and, eq, lt } from 'drizzle-orm';
import type { Database } from '../../libraries/db/pool';
import type { Logger } from '../../libraries/observability/logging/logger';
import type { PeriodicJob } from '../../libraries/common/periodic';
import { physicianSlots } from './write-schema';

/**
 * HELD slots untouched since `heldBefore` → EXPIRED, freeing the time. The
 * backstop for a compensation that never comes: saga 1 confirms or releases
 * every hold well within its reply deadline, so a hold older than that plus a
 * margin has been abandoned. Returns the consultations whose holds expired.
 */
export async function expireHeldSlots(db: Database, heldBefore: Date): Promise<string[]> {
  const rows = await db
    .update(physicianSlots)
    .set({ status: 'EXPIRED', updatedAt: new Date() })
    .where(and(eq(physicianSlots.status, 'HELD'), lt(physicianSlots.updatedAt, heldBefore)))
    .returning({ consultationId: physicianSlots.consultationId });
  return rows.map((row) => row.consultationId);
}

/** The job every physicians instance runs; the UPDATE is idempotent, so instances running it together is harmless. */
export function slotExpiryJob(db: Database, options: { holdTimeoutMs: number; intervalMs: number; logger: Logger }): PeriodicJob {
  return {
    name: 'slot-expiry',
    intervalMs: options.intervalMs,
    run: async () => {
      const expired = await expireHeldSlots(db, new Date(Date.now() - options.holdTimeoutMs));
      for (const consultationId of expired)
        options.logger.warn('held slot expired unconfirmed; its time is free again', { consultationId });
    },
  };
}
