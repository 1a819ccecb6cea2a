import { catalog, isEventType } from '../../events/catalog';
import { serviceNames } from '../../config/services';
import { databaseName, withClient } from '../../db/database';
import { eventProperties } from '../../messaging/message';
import type { OutgoingMessage } from '../../messaging/message';
import type { BrokerPrincipal } from '../../config/broker-principals';
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
    const sent: Sent[] = [];
    for (const service of serviceNames) {
      sent.push(
        ...(await withClient(
          PG_URL,
          databaseName(system.config.DB_PREFIX, service),
          async (client) =>
            (
              await client.query<Sent>(
                `SELECT event_type, exchange, routing_key, envelope, headers FROM messaging_outbox
                WHERE published_at IS NOT NULL ORDER BY random() LIMIT $1`,
                [BURST],
              )
            ).rows,
        )),
      );
    }
    if (sent.length === 0) throw new Error('no published events to send again yet');
    const bySender = new Map<BrokerPrincipal, OutgoingMessage[]>();
    for (let i = 0; i < BURST; i++) {
      const row = sent[i % sent.length]!;
      if (!isEventType(row.event_type)) continue;
      const sender = catalog[row.event_type].sentBy;
      const message = {
        exchange: row.exchange,
        routingKey: row.routing_key,
        content: Buffer.from(JSON.stringify(row.envelope)),
        options: eventProperties(row.envelope, row.headers),
      };
      bySender.set(sender, [...(bySender.get(sender) ?? []), message]);
    }
    log(`sending ${BURST} duplicates of ${Math.min(sent.length, BURST)} published events`);
    for (const [sender, messages] of bySender) await publishAs(system, sender, messages);
  },
};
