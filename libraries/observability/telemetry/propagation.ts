import { context, defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

// Our own hops (HTTP, AMQP headers, outbox rows) use W3C trace context directly, not whatever is global.
const w3c = new W3CTraceContextPropagator();

/** `traceparent` (and `tracestate`) of a context, the active one by default; empty when there is no trace. */
export function traceHeaders(from: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  w3c.inject(from, carrier, defaultTextMapSetter);
  return carrier;
}

/** The context a message or request carried in its headers; the root context when it carried none. */
export function contextFromHeaders(headers: Record<string, unknown> | undefined): Context {
  if (!headers) return ROOT_CONTEXT;
  const carrier: Record<string, string> = {};
  for (const name of w3c.fields()) {
    const value = headers[name];
    if (typeof value === 'string') carrier[name] = value;
    else if (Buffer.isBuffer(value)) carrier[name] = value.toString('utf8');
  }
  return w3c.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}
