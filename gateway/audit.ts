import type { Context } from 'hono';
import { grantOf } from '../libraries/auth/policy';
import type { AppEnv } from '../libraries/http/app';
import { ApiError } from '../libraries/http/errors';
import type { Logger } from '../libraries/observability/logging/logger';
import { forward, unansweredMessage } from './forward';
import type { UpstreamPool } from './upstream-pool';

interface AuditPage {
  items: { at: string }[];
}

/**
 * GET /audit through the gateway: every auditing service's entries for the
 * same query, merged newest first. One service not answering fails the whole
 * answer (503): an audit with a hole in it would mislead. The instances check
 * the caller again.
 */
export async function mergedAudit(c: Context<AppEnv>, pools: UpstreamPool[], timeoutMs: number, logger: Logger): Promise<Response> {
  if (!grantOf(c.get('principal'), 'audit.read')) throw new ApiError(403, 'FORBIDDEN', 'only admin may read the access audit');
  const url = new URL(c.req.url);
  const headers = new Headers({ authorization: c.req.header('authorization')! });
  const pages = await Promise.all(
    pools.map(async (pool) => {
      const outcome = await forward(
        pool,
        { method: 'GET', pathAndQuery: `/audit${url.search}`, headers, body: undefined, correlationId: c.get('correlationId') },
        timeoutMs,
        logger,
      );
      if ('unanswered' in outcome) throw new ApiError(503, 'SERVICE_UNAVAILABLE', unansweredMessage(pool.service, outcome.unanswered));
      return outcome.response;
    }),
  );
  // Any service's refusal (400 for a bad query, 403) is the answer, as it gave it.
  const refused = pages.find((response) => !response.ok);
  if (refused) {
    await Promise.all(pages.filter((page) => page !== refused).map((page) => page.body?.cancel() ?? Promise.resolve()));
    return new Response(refused.body, { status: refused.status, headers: { 'content-type': 'application/json' } });
  }
  const items = (await Promise.all(pages.map(async (page) => ((await page.json()) as AuditPage).items))).flat();
  const limit = Number(url.searchParams.get('limit') ?? 100);
  items.sort((a, b) => b.at.localeCompare(a.at));
  return c.json({ items: items.slice(0, limit) }, 200);
}
