import { createHash } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { DatabaseHandle } from '../db/pool';
import type { Executor } from '../db/executor';
import { ApiError } from './errors';
import { httpIdempotency } from './idempotency-schema';

export const idempotencyHeader = 'Idempotency-Key';
/** Set on an answer that was stored for an earlier request with the same key. */
export const replayedHeader = 'Idempotent-Replayed';
const maxKeyLength = 200;

/** A command's successful answer; errors are thrown (ApiError) and roll the command back. */
export interface Answer<B, S extends ContentfulStatusCode> {
  status: S;
  body: B;
  headers?: Record<string, string>;
}

export type IdempotentRun = <B, S extends ContentfulStatusCode>(
  c: Context,
  request: unknown,
  command: (db: Executor) => Promise<Answer<B, S>>,
) => Promise<Answer<B, S> & { replayed: boolean }>;

/**
 * Runs POST commands at most once per Idempotency-Key. With a key, one
 * transaction claims the key (insert … on conflict do nothing), runs the
 * command inside it (its own transaction nests as a savepoint) and stores the
 * answer: answer and writes commit together, so a retry after a lost response
 * finds the answer, never a second effect. A concurrent duplicate's insert
 * waits on the first one's uncommitted key; it then finds the answer (or, if
 * the first rolled back, runs the command itself). Without a key the command
 * runs as before.
 */
export function idempotentCommands(write: Pick<DatabaseHandle, 'db' | 'pool'>): IdempotentRun {
  return async (c, request, command) => {
    const key = idempotencyKeyOf(c);
    if (key === undefined) return { ...(await command(write.db)), replayed: false };
    const fingerprint = requestFingerprint(c.req.method, c.req.path, request);
    const answer = await write.db.transaction(async (tx) => {
      const claimed = await tx
        .insert(httpIdempotency)
        .values({ key, fingerprint })
        .onConflictDoNothing()
        .returning({ key: httpIdempotency.key });
      if (claimed.length === 0) return { ...(await storedAnswer(tx, key, fingerprint)), replayed: true };
      const fresh = await command(tx);
      await tx
        .update(httpIdempotency)
        .set({ status: fresh.status, body: JSON.stringify(fresh.body), headers: JSON.stringify(fresh.headers ?? {}) })
        .where(eq(httpIdempotency.key, key));
      return { ...fresh, replayed: false };
    });
    // The stored answer is the one first sent: same status, body and headers.
    return answer as Answer<never, never> & { replayed: boolean };
  };
}

/**
 * The same for a use case that knows nothing of HTTP: `once(write)` runs the
 * write at most once for this request and gives back its value, the stored
 * JSON on a replay (so a value is plain data: strings, not Dates; nothing
 * comes back as null).
 */
export function onceForRequest(run: IdempotentRun, c: Context, request: unknown) {
  return async <T>(write: (db: Executor) => Promise<T>): Promise<{ value: T; replayed: boolean }> => {
    // A write with nothing to return stores null: a stored body of NULL means "still in progress".
    const answer = await run(c, request, async (db) => ({ status: 200 as const, body: (await write(db)) ?? null }));
    return { value: answer.body as T, replayed: answer.replayed };
  };
}

/** Sends an answer from idempotentCommands, marking a replay. */
export function respond<B, S extends ContentfulStatusCode>(c: Context, answer: Answer<B, S> & { replayed: boolean }) {
  for (const [name, value] of Object.entries(answer.headers ?? {})) c.header(name, value);
  if (answer.replayed) c.header(replayedHeader, 'true');
  return c.json(answer.body, answer.status);
}

async function storedAnswer(tx: Executor, key: string, fingerprint: string) {
  const [stored] = await tx.select().from(httpIdempotency).where(eq(httpIdempotency.key, key));
  // Pruned between our insert and this select: rare enough to send back as a conflict to retry.
  if (!stored || stored.status === null || stored.body === null)
    throw ApiError.conflict(`a request with this ${idempotencyHeader} is in progress; retry`);
  if (stored.fingerprint !== fingerprint) {
    throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', `this ${idempotencyHeader} was already used for a different request`);
  }
  return {
    status: stored.status as ContentfulStatusCode,
    body: JSON.parse(stored.body) as unknown,
    headers: JSON.parse(stored.headers ?? '{}') as Record<string, string>,
  };
}

function idempotencyKeyOf(c: Context): string | undefined {
  const key = c.req.header(idempotencyHeader);
  if (key === undefined) return undefined;
  if (key.length === 0 || key.length > maxKeyLength) {
    const message = `must be 1 to ${maxKeyLength} characters`;
    throw new ApiError(400, 'VALIDATION_FAILED', `invalid header: ${idempotencyHeader}: ${message}`, [
      { field: idempotencyHeader, message },
    ]);
  }
  return key;
}

/** Same method, same path, same (validated) body: the same request, whatever the key order of its JSON. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([method.toUpperCase(), path, canonical(body ?? null)]))
    .digest('hex');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/**
 * Forgets answers older than `olderThan` (now minus IDEMPOTENCY_RETENTION_HOURS);
 * returns how many. The instance runtime runs it as a periodic job.
 */
export async function pruneIdempotencyKeys(db: Executor, olderThan: Date): Promise<number> {
  const pruned = await db.delete(httpIdempotency).where(lt(httpIdempotency.createdAt, olderThan)).returning({ key: httpIdempotency.key });
  return pruned.length;
}
