import type { MiddlewareHandler } from 'hono';
import type { Metrics } from '../observability/metrics';
import { routeTemplate } from './route-template';

/** Counts and times every request by its route template (hap_http_requests_total, hap_http_request_duration_seconds). */
export function httpMetrics(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const route = routeTemplate(c);
      const method = c.req.method;
      metrics.httpRequests.inc({ route, method, status: String(c.res.status) });
      metrics.httpDuration.observe({ route, method }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}
