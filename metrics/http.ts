import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Metrics } from './registry';

/**
 * Counts and times every request by its route template (`/consultations/:id`,
 * never the raw path, so an id never becomes a label). A request no route
 * took (a 404 for an unknown path) counts as `unmatched`.
 */
export function httpMetrics(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const template = routePath(c, -1);
      const route = !template || template === '*' || template === '/*' ? 'unmatched' : template;
      const method = c.req.method;
      metrics.httpRequests.inc({ route, method, status: String(c.res.status) });
      metrics.httpDuration.observe({ route, method }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}
