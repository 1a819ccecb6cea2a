import { sql } from 'drizzle-orm';
import type { Executor } from '../db/executor';

/**
 * Forgets applied event ids older than `before`, in batches so that a large
 * backlog never holds one long lock. Safe only when no redelivery can be that
 * old: libraries/config/env.ts makes INBOX_RETENTION_HOURS outlast the retry window.
 * Returns how many ids were forgotten.
 */
export async function pruneInbox(db: Executor, before: Date, batchSize = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db.execute(sql`
      DELETE FROM messaging_inbox WHERE ctid IN (
        SELECT ctid FROM messaging_inbox WHERE processed_at < ${before.toISOString()}::timestamptz LIMIT ${batchSize}
      )`);
    const deleted = result.rowCount ?? 0;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
