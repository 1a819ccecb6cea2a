import { z } from 'zod';

/** ISO-8601 instant with an offset, e.g. 2025-10-15T14:23:00Z. */
export const isoDateTime = z.iso.datetime({ offset: true });

/**
 * Monotonic per-aggregate version. Entity events carry the whole snapshot with
 * its version, so a read model can upsert and ignore anything older: replays
 * and out-of-order retries then leave the same state.
 */
export const version = z.number().int().positive();

/** How a patient, physician or record snapshot ends: its version, then when it was created and last changed. */
export const snapshotStamps = { version, createdAt: isoDateTime, updatedAt: isoDateTime };
