import { z } from 'zod';

import { sourceServices, type SourceService } from '../config/services';

/** The services that publish events (the registry's source names); also the `appId` of every message. */
export { sourceServices, type SourceService };

/** The JSON body of every message (docs/specification.md §3.1, docs/design.md §2.1). The payload is checked per eventType by the catalog. */
export const envelopeSchema = z.object({
  eventId: z.uuid(),
  eventType: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  sourceService: z.enum(sourceServices),
  payload: z.unknown(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** AMQP headers that travel with events (docs/specification.md §3.2, docs/design.md §2.1). */
export const headerNames = {
  correlationId: 'x-correlation-id',
  sagaId: 'x-saga-id',
  retryCount: 'x-retry-count',
} as const;

export interface EventHeaders {
  /** The request that caused the event; every event it causes carries the same id. */
  correlationId?: string | undefined;
  /** The saga's Temporal workflow id, on every event that belongs to a saga. */
  sagaId?: string | undefined;
  /** How many times a consumer has retried this delivery. */
  retryCount?: number | undefined;
}

export function toAmqpHeaders(headers: EventHeaders): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (headers.correlationId) out[headerNames.correlationId] = headers.correlationId;
  if (headers.sagaId) out[headerNames.sagaId] = headers.sagaId;
  out[headerNames.retryCount] = headers.retryCount ?? 0;
  return out;
}

export function fromAmqpHeaders(raw: Record<string, unknown> | undefined): EventHeaders {
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
  const retry = Number(raw?.[headerNames.retryCount] ?? 0);
  return {
    correlationId: text(raw?.[headerNames.correlationId]),
    sagaId: text(raw?.[headerNames.sagaId]),
    retryCount: Number.isFinite(retry) && retry > 0 ? Math.floor(retry) : 0,
  };
}
