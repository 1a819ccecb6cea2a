import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { catalog, validateEvent, type DomainEvent } from '../events/catalog';
import { toAmqpHeaders, type EventHeaders } from '../events/envelope';
import type { Executor } from '../db/executor';
import { traceHeaders } from '../observability/telemetry';
import { outbox } from './schema';

/** The channel on which the outbox relay listens for new rows. */
export const outboxChannel = 'messaging_outbox';

/** Rows written and not yet confirmed by the broker (the relay's backlog), through the pending rows' partial index. */
export async function countPendingOutbox(pool: Pick<pg.Pool, 'query'>): Promise<number> {
  const { rows } = await pool.query<{ pending: number }>(
    'SELECT count(*)::int AS pending FROM messaging_outbox WHERE published_at IS NULL',
  );
  return rows[0]?.pending ?? 0;
}

/**
 * Writes events to the outbox in the caller's transaction: they reach the
 * broker if and only if the transaction commits. The relay is woken on commit.
 * Each row keeps the trace context of its writer, so the relay's publish
 * continues the request or delivery that caused the event, however much later.
 */
export async function enqueueEvents(tx: Executor, events: DomainEvent[], headers: EventHeaders = {}): Promise<void> {
  if (events.length === 0) return;
  const amqpHeaders = { ...toAmqpHeaders(headers), ...traceHeaders() };
  await tx.insert(outbox).values(
    events.map((candidate) => {
      const event = validateEvent(candidate);
      const definition = catalog[event.eventType];
      return {
        eventId: event.eventId,
        eventType: event.eventType,
        exchange: definition.exchange,
        routingKey: definition.routingKey,
        envelope: event,
        headers: amqpHeaders,
      };
    }),
  );
  await tx.execute(sql`SELECT pg_notify(${outboxChannel}, '')`);
}
