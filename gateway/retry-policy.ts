import { isSafeMethod } from '../libraries/http/safe-methods';

/**
 * When the gateway may send a request to a second instance. Re-sending is
 * only safe when doing the request twice is the same as doing it once:
 * methods that change nothing, and commands the instance deduplicates by
 * their Idempotency-Key. Anything else may already have been committed by an
 * instance that timed out or dropped the connection, so it goes to another
 * instance only when the first never received it. Only POST routes honour
 * Idempotency-Key: a PATCH carrying one is still not safe to send twice.
 */
export function isRepeatable(method: string, headers: Headers): boolean {
  return isSafeMethod(method) || (method.toUpperCase() === 'POST' && (headers.get('idempotency-key')?.trim() ?? '') !== '');
}

/**
 * What went wrong with one attempt:
 * - refused: the connection was never made, the instance saw nothing;
 * - timeout / reset: the request may have reached the instance, outcome unknown;
 * - local: the gateway could not build the request; no instance is to blame.
 */
export type AttemptFailure = 'refused' | 'timeout' | 'reset' | 'local';

// Failures before a connection exists: not one byte of the request was sent.
const connectCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Classifies what fetch threw. `timedOut` says whether the gateway's own timer fired. */
export function classifyFetchError(error: unknown, timedOut: boolean): AttemptFailure {
  if (timedOut || (error instanceof Error && error.name === 'TimeoutError')) return 'timeout';
  // undici reports network failures as TypeError('fetch failed') with the cause attached.
  if (!(error instanceof Error) || error.message !== 'fetch failed' || error.cause === undefined) return 'local';
  const codes = causeCodes(error.cause);
  if (codes.some((code) => connectCodes.has(code))) return 'refused';
  // undici's own argument checks (a header it refuses, …): nothing was sent.
  if (codes.some((code) => code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED')) return 'local';
  return 'reset';
}

function causeCodes(cause: unknown): string[] {
  const codes: string[] = [];
  const visit = (current: unknown, depth: number) => {
    if (!(current instanceof Error) || depth > 5) return;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    // Happy-eyeballs connects fail with an AggregateError of each address's error.
    if (current instanceof AggregateError) for (const inner of current.errors) visit(inner, depth + 1);
    visit(current.cause, depth + 1);
  };
  visit(cause, 0);
  return codes;
}
