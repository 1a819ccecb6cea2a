import { brokerPrincipals, type BrokerPrincipal } from '../config/broker-principals';
import { serviceNames, serviceRegistry, type ServiceIdentity, type ServiceName } from '../config/services';
import { catalog, eventTypes } from '../events/catalog';
import type { PublisherCheck } from './consumer';
import { brokerUserName } from '../config/broker-principals';
import { deadLetterExchange, historyStream, retryExchange } from './topology';

/** One user's rights on the vhost, as `rabbitmqctl set_permissions` and `set_topic_permissions` take them (regular expressions). */
export interface BrokerPermissions {
  configure: string;
  write: string;
  read: string;
  /** Per topic exchange it writes to: the routing keys it may publish there (read: none, it binds nothing). */
  topics: { exchange: string; write: string; read: string }[];
}

const nothing = '^$';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (names: readonly string[]) => (names.length ? `^(${names.map(escape).join('|')})$` : nothing);

/**
 * The queues a principal consumes: its instances' event queues, and its saga
 * queue unless another process takes it, each with its DLQ (an instance's
 * GET /admin/dlq looks at them, replays and purges, as the queue's consumer).
 */
function queuesRead(principal: BrokerPrincipal): string {
  const identity = (name: ServiceName): ServiceIdentity => serviceRegistry[name];
  const sagaOf = (name: ServiceName) => `${escape(identity(name).source)}\\.saga`;
  if (principal === 'worker') return nothing;
  if (principal === 'bridge') {
    const taken = serviceNames.filter((name) => identity(name).sagaConsumedBy === 'bridge');
    return taken.length ? `^(${taken.map(sagaOf).join('|')})(\\.dlq)?$` : nothing;
  }
  // The history stream too: an instance whose read model is empty replays it first.
  const own = [`${escape(identity(principal).source)}\\.[a-z0-9-]+\\.events`, escape(historyStream)];
  if (identity(principal).saga.length > 0 && !identity(principal).sagaConsumedBy) own.push(sagaOf(principal));
  return `^(${own.join('|')})(\\.dlq)?$`;
}

/**
 * A principal's least rights (docs/design.md §10): configure nothing (the
 * setup user declares the topology); write only to the exchanges of the
 * events the catalog says it sends, with exactly their routing keys, and to
 * the retry and dead-letter exchanges if it consumes; read only its own queues
 * and their DLQs.
 */
export function brokerPermissions(principal: BrokerPrincipal): BrokerPermissions {
  const sent = eventTypes.filter((type) => catalog[type].sentBy === principal).map((type) => catalog[type]);
  const exchangesWritten = [...new Set(sent.map((definition) => definition.exchange))];
  const read = queuesRead(principal);
  const consumes = read !== nothing;
  return {
    configure: nothing,
    write: anyOf([...exchangesWritten, ...(consumes ? [retryExchange, deadLetterExchange] : [])]),
    read,
    topics: exchangesWritten.map((exchange) => ({
      exchange,
      write: anyOf(sent.filter((definition) => definition.exchange === exchange).map((definition) => definition.routingKey)),
      read: nothing,
    })),
  };
}

/** Every principal's rights, for the setup (tools/toolchain/broker-users.ts) and docker/rabbitmq/definitions.json. */
export const principalPermissions = () => brokerPrincipals.map((principal) => ({ principal, ...brokerPermissions(principal) }));

/** What a consumer of `self` accepts: each event from the user of the principal the catalog names as its sender. */
export function publisherCheck(userPrefix: string, self: string): PublisherCheck {
  return { self, senderOf: (type) => brokerUserName(userPrefix, catalog[type].sentBy) };
}
