import type { Logger } from '../logging/logger';
import { correlationHeader } from '../http/correlation';
import type { UpstreamPool } from './upstream-pool';

export interface ForwardRequest {
  method: string;
  /** Path and query string, e.g. /patients?status=ACTIVE */
  pathAndQuery: string;
  headers: Headers;
  body: ArrayBuffer | undefined;
  correlationId: string;
}

// Hop-by-hop headers and those fetch computes itself.
const dropped = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade']);

/**
 * Sends a request to the service's instances in turn until one answers. An
 * instance that cannot be reached, times out, or answers 503 (its own
 * dependency is down, and it changed nothing) is marked down and the next one
 * tried, so one stopped instance never costs the client an error. Undefined
 * when no instance could answer.
 */
export async function forward(pool: UpstreamPool, request: ForwardRequest, timeoutMs: number, logger: Logger): Promise<Response | undefined> {
  const headers = new Headers();
  request.headers.forEach((value, name) => {
    if (!dropped.has(name.toLowerCase())) headers.set(name, value);
  });
  headers.set(correlationHeader, request.correlationId);

  for (const base of pool.candidates()) {
    try {
      const response = await fetch(`${base}${request.pathAndQuery}`, {
        method: request.method,
        headers,
        body: request.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status === 503) {
        pool.markDown(base);
        logger.warn('instance unavailable; trying the next', { service: pool.service, instance: base });
        await response.body?.cancel();
        continue;
      }
      pool.markUp(base);
      return response;
    } catch (error) {
      pool.markDown(base);
      logger.warn('instance unreachable; trying the next', { service: pool.service, instance: base, error });
    }
  }
  return undefined;
}
