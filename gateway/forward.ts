import type { Logger } from '../libraries/observability/logging/logger';
import { correlationHeader } from '../libraries/http/correlation';
import { isSafeMethod } from '../libraries/http/safe-methods';
import { classifyFetchError, isRepeatable, type AttemptFailure } from './retry-policy';
import type { UpstreamPool } from './upstream-pool';

export interface ForwardRequest {
  method: string;
  /** Path and query string, e.g. /patients?status=ACTIVE */
  pathAndQuery: string;
  /** Headers for the instance, hop-by-hop ones already removed (see headers.ts). */
  headers: Headers;
  body: ArrayBuffer | undefined;
  correlationId: string;
}

/** No instance gave an answer to pass on; what the client may conclude. */
export interface Unanswered {
  /** Every attempt was refused at connect: no instance saw the request. */
  nothingSent: boolean;
  /** An instance may have committed a command it never confirmed. */
  outcomeUnknown: boolean;
}

/** What the gateway tells the client when no instance answered; never "nothing was changed" unless it is so. */
export function unansweredMessage(service: string, unanswered: Unanswered): string {
  if (unanswered.nothingSent) return `no ${service} instance is answering; nothing was changed, try again`;
  if (unanswered.outcomeUnknown)
    return `the ${service} instance did not answer; the outcome is unknown, retry with the same Idempotency-Key`;
  return `no ${service} instance answered in time; try again`;
}

export type ForwardOutcome = { response: Response } | { unanswered: Unanswered };

/** Thrown when the gateway itself could not send the request; no instance is at fault. */
export class ForwardBuildError extends Error {}

/**
 * Sends a request to the service's instances in turn until one answers.
 * An instance that refuses the connection, times out, resets, or answers 503
 * is marked down. Whether the next instance is tried depends on the request
 * (retry-policy.ts): a command without an Idempotency-Key goes elsewhere only
 * when the first instance never received it, since it may be committed
 * there; its 503 is passed on as is, since the instance's body says whether
 * anything changed.
 */
export async function forward(pool: UpstreamPool, request: ForwardRequest, timeoutMs: number, logger: Logger): Promise<ForwardOutcome> {
  const headers = new Headers(request.headers);
  headers.set(correlationHeader, request.correlationId);
  const repeatable = isRepeatable(request.method, headers);

  let refusedOnly = true;
  let unknownOutcome = false;
  let lastUnavailable: Response | undefined;
  for (const base of pool.candidates()) {
    const attempt = await attemptOnce(`${base}${request.pathAndQuery}`, request, headers, timeoutMs);
    if ('response' in attempt && attempt.response.status !== 503) {
      await lastUnavailable?.body?.cancel();
      pool.markUp(base);
      return attempt;
    }
    pool.markDown(base);
    if ('response' in attempt) {
      logger.warn('instance unavailable', { service: pool.service, instance: base, repeatable });
      if (!repeatable) return attempt;
      await lastUnavailable?.body?.cancel();
      lastUnavailable = attempt.response;
      refusedOnly = false;
      continue;
    }
    logger.warn('instance did not answer', {
      service: pool.service,
      instance: base,
      failure: attempt.failure,
      error: attempt.error,
      repeatable,
    });
    if (attempt.failure === 'refused') continue;
    refusedOnly = false;
    // A safe method changed nothing wherever it got to.
    if (!isSafeMethod(request.method)) unknownOutcome = true;
    if (!repeatable) break;
  }

  // The last instance's own 503 says best what happened, unless an earlier one may have committed the command.
  if (lastUnavailable && !unknownOutcome) return { response: lastUnavailable };
  await lastUnavailable?.body?.cancel();
  return { unanswered: { nothingSent: refusedOnly, outcomeUnknown: unknownOutcome } };
}

type Attempt = { response: Response } | { failure: Exclude<AttemptFailure, 'local'>; error: unknown };

async function attemptOnce(url: string, request: ForwardRequest, headers: Headers, timeoutMs: number): Promise<Attempt> {
  // The timer covers the wait for the answer's head, not the streaming of its body.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  try {
    const response = await fetch(url, { method: request.method, headers, body: request.body, signal: controller.signal });
    return { response };
  } catch (error) {
    const failure = classifyFetchError(error, timedOut);
    if (failure === 'local') throw new ForwardBuildError(`the gateway could not send ${request.method} ${url}`, { cause: error });
    return { failure, error };
  } finally {
    clearTimeout(timer);
  }
}
