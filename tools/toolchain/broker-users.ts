import { createHash } from 'node:crypto';
import { brokerPrincipals, brokerUserName, type BrokerPrincipal } from '../../libraries/config/broker-principals';
import { principalPermissions } from '../../libraries/messaging/permissions';
import { rabbitmqctl, rabbitmqctlWithInput } from './rabbitmqctl';

export interface BrokerLogin {
  user: string;
  password: string;
}

export interface BrokerUsers {
  /** Declares the topology at start; no HAP process runs as it. */
  setup: BrokerLogin;
  principals: Record<BrokerPrincipal, BrokerLogin>;
}

/** The vhost an AMQP URL names ('/' when none). */
export function vhostOf(amqpUrl: string): string {
  const name = decodeURIComponent(new URL(amqpUrl).pathname.replace(/^\//, ''));
  return name === '' ? '/' : name;
}

/** The URL with another login: how each process gets its own user on the same broker and vhost. */
export function urlAs(amqpUrl: string, login: BrokerLogin): string {
  const url = new URL(amqpUrl);
  url.username = encodeURIComponent(login.user);
  url.password = encodeURIComponent(login.password);
  return url.toString();
}

/** RabbitMQ's rabbit_password_hashing_sha256: base64(salt ‖ sha256(salt ‖ password)); the salt is derived from the user, so a file of definitions is reproducible. */
export function passwordHash(user: string, password: string): string {
  const salt = createHash('sha256').update(`hap-salt:${user}`).digest().subarray(0, 4);
  return Buffer.concat([
    salt,
    createHash('sha256')
      .update(Buffer.concat([salt, Buffer.from(password, 'utf8')]))
      .digest(),
  ]).toString('base64');
}

/**
 * RabbitMQ definitions (the format of `rabbitmqctl import_definitions` and of
 * compose's definitions.json) of HAP's users on a vhost: one per principal
 * with the rights of libraries/messaging/permissions.ts (configure nothing, write to its
 * own exchange and routing keys, read its own queues), and the setup user who
 * declares the topology.
 */
export function brokerUserDefinitions(vhost: string, users: BrokerUsers) {
  const logins = [users.setup, ...brokerPrincipals.map((principal) => users.principals[principal])];
  const rights = principalPermissions();
  return {
    users: logins.map(({ user, password }) => ({
      name: user,
      password_hash: passwordHash(user, password),
      hashing_algorithm: 'rabbit_password_hashing_sha256',
      tags: [],
    })),
    permissions: [
      { user: users.setup.user, vhost, configure: '.*', write: '.*', read: '.*' },
      ...rights.map(({ principal, configure, write, read }) => ({ user: users.principals[principal].user, vhost, configure, write, read })),
    ],
    topic_permissions: rights.flatMap(({ principal, topics }) =>
      topics.map((topic) => ({ user: users.principals[principal].user, vhost, ...topic })),
    ),
  };
}

/** The logins of every principal and the setup user under a prefix, with their passwords. */
export async function brokerLogins(prefix: string, password: (user: string) => Promise<string>): Promise<BrokerUsers> {
  const login = async (user: string): Promise<BrokerLogin> => ({ user, password: await password(user) });
  const principals = {} as Record<BrokerPrincipal, BrokerLogin>;
  for (const principal of brokerPrincipals) principals[principal] = await login(brokerUserName(prefix, principal));
  return { setup: await login(brokerUserName(prefix, 'setup')), principals };
}

/**
 * Makes HAP's broker users and their rights on the vhost, idempotently, in
 * one `rabbitmqctl import_definitions` next to the node: existing users get
 * their password and rights set again, so a changed table takes effect.
 */
export async function ensureBrokerUsers(options: {
  vhost: string;
  prefix: string;
  password: (user: string) => Promise<string>;
}): Promise<BrokerUsers> {
  const users = await brokerLogins(options.prefix, options.password);
  // On stdin: rabbitmqctl may run as another user, who could not read a private file.
  await rabbitmqctlWithInput(JSON.stringify(brokerUserDefinitions(options.vhost, users)), 'import_definitions');
  return users;
}

/** Removes the users made under a prefix (tests clean up after themselves). */
export async function removeBrokerUsers(prefix: string): Promise<void> {
  for (const principal of [...brokerPrincipals, 'setup' as const]) {
    await rabbitmqctl('delete_user', brokerUserName(prefix, principal)).catch(() => {});
  }
}
