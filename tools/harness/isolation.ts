import { dropDatabaseRoles, listDatabaseRoles } from '../toolchain/postgres-roles';
import { removeBrokerUsers } from '../toolchain/broker-users';
import { dropDatabase, listDatabases } from '../../libraries/db/database';
import { listVhosts, rabbitmqctl } from './queues';
import { processIsAlive } from './process-alive';

/**
 * A run of a tool (the bench, the fault matrix) names everything it makes
 * <tool>_<time, base 36>_<pid of the run>: hapbench_…, hapchaos_….
 */
export type IsolationKind = 'hapbench' | 'hapchaos';
const owned = (kind: IsolationKind) => new RegExp(`^${kind}_([a-z0-9]+)_(\\d+)(?:[_-]|$)`);
/** A run older than this is over, whether or not its pid was reused. */
const MAX_AGE_MS = 24 * 3_600_000;

export interface Isolation {
  /** The vhost's name, also the prefix of the databases and the Temporal task queues. */
  name: string;
  amqpUrl: string;
  dbPrefix: string;
}

/** A vhost of the run's own (guest may use it) and the database prefix to go with it. */
export async function createIsolation(kind: IsolationKind, baseAmqpUrl: string): Promise<Isolation> {
  const name = `${kind}_${Date.now().toString(36)}_${process.pid}`;
  await rabbitmqctl('add_vhost', name);
  await rabbitmqctl('set_permissions', '-p', name, 'guest', '.*', '.*', '.*');
  const url = new URL(baseAmqpUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return { name, amqpUrl: url.toString(), dbPrefix: name };
}

export async function removeIsolation(isolation: Isolation, pgUrl: string): Promise<void> {
  await rabbitmqctl('delete_vhost', isolation.name);
  // The broker users the launch made for it (AMQP_USER_PREFIX = the vhost's name).
  await removeBrokerUsers(isolation.name);
  // LIKE reads _ as any character: keep only names that really start with the prefix.
  const databases = (await listDatabases(pgUrl, `${isolation.dbPrefix}_`)).filter((name) => name.startsWith(`${isolation.dbPrefix}_`));
  for (const database of databases) await dropDatabase(pgUrl, database);
  await dropDatabaseRoles(pgUrl, isolation.dbPrefix);
}

/** Removes vhosts, databases, broker users and database roles of runs of this tool that died without cleaning up (their process is gone). */
export async function removeLeftovers(kind: IsolationKind, pgUrl: string, log: (line: string) => void): Promise<void> {
  const OWNED = owned(kind);
  const PREFIX = `${kind}_`;
  const abandoned = (name: string) => {
    const match = OWNED.exec(name);
    if (!match) return false;
    if (Date.now() - parseInt(match[1]!, 36) > MAX_AGE_MS) return true;
    return !processIsAlive(Number(match[2]));
  };
  for (const vhost of (await listVhosts()).filter(abandoned)) {
    log(`removing vhost ${vhost} left by an earlier ${kind} run`);
    await rabbitmqctl('delete_vhost', vhost);
  }
  for (const database of (await listDatabases(pgUrl, PREFIX)).filter(abandoned)) {
    log(`dropping database ${database} left by an earlier ${kind} run`);
    await dropDatabase(pgUrl, database);
  }
  const users = (await rabbitmqctl('list_users', '--no-table-headers')).split('\n').map((line) => line.split('\t')[0]!.trim());
  for (const user of users.filter(abandoned)) await rabbitmqctl('delete_user', user);
  // Roles are named <prefix>_<service>, the run's prefix being what OWNED matches.
  const prefixes = new Set(users.filter(abandoned).map((user) => OWNED.exec(user)![0].replace(/[_-]$/, '')));
  for (const prefix of (await listDatabaseRoles(pgUrl, PREFIX))
    .filter(abandoned)
    .map((role) => OWNED.exec(role)![0].replace(/[_-]$/, ''))) {
    prefixes.add(prefix);
  }
  for (const prefix of prefixes) await dropDatabaseRoles(pgUrl, prefix);
}
