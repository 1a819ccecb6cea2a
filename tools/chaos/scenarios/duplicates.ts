import { catalog, isEventType, type EventType } from '../../../libraries/events/catalog';
import { serviceNames } from '../../../libraries/config/services';
import { databaseName, withClient } from '../../../libraries/db/database';
import { eventProperties } from '../../../libraries/messaging/message';
import { publishAs } from '../publish-as';
import type { Scenario } from '../scenario';

const BURST = 1000;

interface Sent {
  event_type: string;
  exchange: string;
  routing_key: string;
  envelope: Parameters<typeof eventProperties>[0];
  headers: Record<string, string | number>;
}

/**
 * 1,000 deliveries of events every consumer has already processed, taken
 * from the services' outboxes and sent again as their real sender: the
 * inboxes must drop every one (the accounting checks no effect doubled).
 */
export const duplicateBurst: Scenario = {
  name: 'duplicate-burst',
  summary: `${BURST} duplicate deliveries of already-processed events, from their real senders`,
  contained: true,
  inject: async ({ system, log }) => {
    const { PG_URL } = system.admin;
    // An equal share from each service's outbox, so every kind of consumer meets duplicates.
    const share = Math.ceil(BURST / serviceNames.length);
    const sent: Sent[] = [];
    for (const service of serviceNames) {
      const rows = await withClient(PG_URL, databaseName(system.config.DB_PREFIX, service), async (client) => {
        const result = await client.query<Sent>(
          `SELECT event_type, exchange, routing_key, envelope, headers FROM messaging_outbox
            WHERE published_at IS NOT NULL ORDER BY random() LIMIT $1`,
          [share],
        );
        return result.rows;
      });
      sent.push(...rows.filter((row) => isEventType(row.event_type)));
    }
    if (sent.length === 0) throw new Error('no published events to send again yet');
    const messages = Array.from({ length: BURST }, (_, i) => {
      const row = sent[i % sent.length]!;
      return {
        sender: catalog[row.event_type as EventType].sentBy,
        message: {
          exchange: row.exchange,
          routingKey: row.routing_key,
          content: Buffer.from(JSON.stringify(row.envelope)),
          options: eventProperties(row.envelope, row.headers),
        },
      };
    });
    log(`sending ${BURST} duplicates of ${sent.length} published events`);
    await publishAs(system, messages);
  },
};
