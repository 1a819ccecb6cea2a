import { brokerUserName, type BrokerPrincipal } from '../../libraries/config/broker-principals';
import type { Config } from '../../libraries/config/env';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { Broker, type ConfirmedPublisher } from '../../libraries/messaging/broker';
import type { OutgoingMessage } from '../../libraries/messaging/message';
import { catalog, type EventType } from '../../libraries/events/catalog';
import { databaseRole } from '../../libraries/db/database';
import { ensureBrokerUsers, urlAs, vhostOf } from '../../tools/toolchain/broker-users';
import { ensureDatabaseRoles, pgUrlAs } from '../../tools/toolchain/postgres-roles';

/**
 * A sandbox's broker users are `<vhost>-<principal>` with the user name as
 * password: made with the production rights (tools/toolchain/broker-users.ts), and
 * reachable from nothing but the vhost URL.
 */
export const makeBrokerUsers = (vhost: string) => ensureBrokerUsers({ vhost, prefix: vhost, password: async (user) => user });

/** The vhost URL logged in as one of its principals. */
export function principalUrl(vhostUrl: string, principal: BrokerPrincipal): string {
  const user = brokerUserName(vhostOf(vhostUrl), principal);
  return urlAs(vhostUrl, { user, password: user });
}

/**
 * A configuration for a process of the given principal, as the launcher gives
 * it: its own broker login and, for a service or the worker, its own database
 * role (whose password, in tests, is its name).
 */
export const asPrincipal = (config: Config, principal: BrokerPrincipal): Config => {
  const role = databaseRole(config.DB_PREFIX, principal);
  return {
    ...config,
    AMQP_URL: principalUrl(config.AMQP_URL, principal),
    ...(principal === 'bridge' ? {} : { PG_URL: pgUrlAs(config.PG_URL, { role, password: role }) }),
  };
};

/** The sandbox's database roles, made as the superuser of PG_URL: the password of each is its name. */
export const makeDatabaseRoles = (config: Config) =>
  ensureDatabaseRoles({ pgUrl: config.PG_URL, prefix: config.DB_PREFIX, password: async (role) => role });

/**
 * What tests publish events through: each catalog event goes out as the
 * principal that sends it in production (so the consumers' user_id check
 * takes it), anything else (a poison message) as the test's own login.
 */
export class CatalogPublisher implements ConfirmedPublisher {
  private readonly brokers = new Map<BrokerPrincipal, Promise<Broker>>();

  constructor(
    private readonly vhostUrl: string,
    private readonly own: Broker,
  ) {}

  async publish(message: OutgoingMessage): Promise<void> {
    const type = message.options.type;
    const sender = type && type in catalog ? catalog[type as EventType].sentBy : undefined;
    await (sender ? await this.as(sender) : this.own).publish(message);
  }

  /** A connection of the principal's own, for tests that publish as someone on purpose. */
  as(principal: BrokerPrincipal): Promise<Broker> {
    let broker = this.brokers.get(principal);
    if (!broker) {
      broker = Broker.connect({
        url: principalUrl(this.vhostUrl, principal),
        connectionName: `test-as-${principal}`,
        topology: { queues: [], retryDelaysMs: [] },
        logger: silentLogger,
      });
      this.brokers.set(principal, broker);
    }
    return broker;
  }

  async close(): Promise<void> {
    for (const broker of this.brokers.values()) await (await broker).close().catch(() => {});
    await this.own.close();
  }
}
