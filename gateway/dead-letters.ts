import type { Context } from 'hono';
import { grantOf } from '../libraries/auth/policy';
import { correlationHeader } from '../libraries/http/correlation';
import type { AppEnv } from '../libraries/http/app';
import { ApiError, errorBody } from '../libraries/http/errors';
import type { Logger } from '../libraries/observability/logging/logger';
import { traceHeaders } from '../libraries/observability/telemetry';
import { clientResponseHeaders } from './headers';
import type { UpstreamPool } from './upstream-pool';

interface DeadLetterQueue {
  queue: string;
  messages: number;
  oldestAgeSeconds: number | null;
}

/** A service's pool, by the source name its queues start with (`clinical-records.instance-1.events`). */
export interface DeadLetterPools {
  pools: UpstreamPool[];
  bySource: Map<string, UpstreamPool>;
}

/**
 * GET /admin/dlq… through the gateway. Each instance manages the DLQs of
 * the queues it consumes (libraries/runtime/dead-letters), so the list asks every
 * instance of every service and merges what they say (a saga queue's DLQ,
 * shared by a service's instances, once); an instance that cannot be asked is
 * named in `unanswered` rather than failing the whole list, since an operator
 * needs the rest most when something is down. One queue's messages go to the
 * instances of the service it belongs to, in turn, until one owns it.
 */
export function deadLetterHandlers({ pools, bySource }: DeadLetterPools, timeoutMs: number, logger: Logger) {
  const call = (c: Context<AppEnv>, base: string, path: string, body?: ArrayBuffer) =>
    fetch(`${base}${path}`, {
      method: c.req.method,
      headers: {
        authorization: c.req.header('authorization') ?? '',
        'content-type': c.req.header('content-type') ?? 'application/json',
        [correlationHeader]: c.get('correlationId'),
        ...traceHeaders(),
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });

  const list = async (c: Context<AppEnv>) => {
    if (!grantOf(c.get('principal'), 'dlq.read')) throw new ApiError(403, 'FORBIDDEN', 'dead letters are for the admin role');
    const unanswered: string[] = [];
    const answers = await Promise.all(
      pools.flatMap((pool) =>
        pool.urls.map(async (base) => {
          try {
            const response = await call(c, base, '/admin/dlq');
            if (!response.ok) throw new Error(`answered ${response.status}`);
            return ((await response.json()) as { items: DeadLetterQueue[] }).items;
          } catch (error) {
            logger.warn('an instance did not list its dead letters', { service: pool.service, url: base, error });
            unanswered.push(`${pool.service} at ${base}`);
            return [];
          }
        }),
      ),
    );
    const merged = new Map<string, DeadLetterQueue>();
    for (const item of answers.flat()) if (!merged.has(item.queue)) merged.set(item.queue, item);
    const items = [...merged.values()].sort((a, b) => a.queue.localeCompare(b.queue));
    return c.json({ items, unanswered }, 200);
  };

  const one = async (c: Context<AppEnv>) => {
    if (!grantOf(c.get('principal'), c.req.method === 'GET' ? 'dlq.read' : 'dlq.repair')) {
      throw new ApiError(403, 'FORBIDDEN', 'dead letters are for the admin role');
    }
    const url = new URL(c.req.url);
    const queue = decodeURIComponent(url.pathname.split('/')[3] ?? '');
    const pool = bySource.get(queue.split('.')[0] ?? '');
    if (!pool) throw new ApiError(404, 'NOT_FOUND', `${queue} is not a queue of any service behind this gateway`);
    const body = c.req.method === 'GET' ? undefined : await c.req.raw.arrayBuffer();
    let unreachable = 0;
    let notHere: string | undefined;
    for (const base of pool.urls) {
      try {
        const response = await call(c, base, `${url.pathname}${url.search}`, body);
        // 404: not this instance's queue (another instance's events queue); ask the next.
        if (response.status !== 404)
          return new Response(response.body, { status: response.status, headers: clientResponseHeaders(response.headers) });
        notHere = await response.text();
      } catch (error) {
        unreachable += 1;
        logger.warn('an instance did not answer about its dead letters', { service: pool.service, url: base, error });
      }
    }
    if (unreachable > 0 || notHere === undefined) {
      const message = `${unreachable} ${pool.service} instance(s) did not answer; ${queue} may be theirs`;
      return c.json(errorBody(new ApiError(503, 'SERVICE_UNAVAILABLE', message)), 503);
    }
    return new Response(notHere, { status: 404, headers: { 'content-type': 'application/json' } });
  };

  return { list, one };
}
