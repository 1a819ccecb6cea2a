import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { contextFromHeaders } from '../observability/telemetry';
import { routeTemplate } from './route-template';

/**
 * One server span per request, continuing the caller's trace (W3C
 * traceparent), active while the request is handled so that what it causes
 * (a forwarded call, an outbox row, a workflow start) joins the same trace.
 * Named by method and route template; no path, query or body is recorded.
 */
export function httpTracing(tracer: Tracer): MiddlewareHandler {
  return async (c, next) => {
    const parent = contextFromHeaders({ traceparent: c.req.header('traceparent'), tracestate: c.req.header('tracestate') });
    const span = tracer.startSpan(c.req.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': c.req.method } }, parent);
    try {
      await context.with(trace.setSpan(parent, span), next);
    } finally {
      const route = routeTemplate(c);
      span.updateName(`${c.req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': c.res.status });
      if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  };
}
