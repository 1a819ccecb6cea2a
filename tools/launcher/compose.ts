import { brokerPrincipals, brokerUserName, type BrokerPrincipal } from '../../libraries/config/broker-principals';
import { loadConfig } from '../../libraries/config/env';
import { databaseName, databaseRole } from '../../libraries/db/database';
import { topologyDefinitions } from '../../libraries/messaging/topology-definitions';
import { databasePrincipals, ownedDatabases, type DatabasePrincipal } from '../toolchain/postgres-roles';
import { systemQueues } from '../../libraries/messaging/topology';
import { brokerUserDefinitions, passwordHash, type BrokerLogin } from '../toolchain/broker-users';
import {
  defaultInstances,
  defaultPort,
  gatewayUrlsKey,
  processPorts,
  serviceEntry,
  serviceNames,
  serviceRegistry,
  type ServiceIdentity,
} from '../../libraries/config/services';

/** The first line of the HAP processes' part of docker/compose.yaml, which `npm run compose` writes. */
export const composeSectionStart =
  '  # ---------------------------------------------------------------- HAP (npm run compose writes this part)';
/** What follows that part: the volumes, written by hand like the infrastructure above it. */
export const composeSectionEnd = '\nvolumes:';

const instances = Array.from({ length: defaultInstances }, (_, i) => i + 1);
const { gateway: gatewayPort } = processPorts;
const healthcheck = (path: string) =>
  `['CMD', 'node', '-e', "fetch('http://127.0.0.1:'+process.env.PORT+'${path}').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]`;

/** The compose stack's vhost, and its operator login for the management UI (an administrator; no HAP process uses it). */
export const composeVhost = 'hap';
const operator: BrokerLogin = { user: 'hap', password: 'hap' };

/**
 * Each process's broker login in the compose stack: development passwords,
 * the same in docker/rabbitmq/definitions.json. A real deployment writes
 * definitions with passwords of its own (tools/toolchain/broker-users.ts).
 */
const composeLogin = (principal: BrokerPrincipal | 'setup'): BrokerLogin => ({
  user: brokerUserName('hap', principal),
  password: `dev-${principal}`,
});
const amqpUrl = (principal: BrokerPrincipal) => {
  const { user, password } = composeLogin(principal);
  return `amqp://${user}:${password}@rabbitmq:5672/${composeVhost}`;
};

/**
 * docker/rabbitmq/definitions.json, which RabbitMQ imports at boot: the
 * operator, HAP's users with their narrow rights (libraries/messaging/permissions.ts),
 * and the whole topology for the compose stack's instances, recorded from
 * declareTopology, so no process has to declare anything.
 */
export async function composeBrokerDefinitions() {
  const principals = Object.fromEntries(brokerPrincipals.map((principal) => [principal, composeLogin(principal)])) as Record<
    BrokerPrincipal,
    BrokerLogin
  >;
  const users = brokerUserDefinitions(composeVhost, { setup: composeLogin('setup'), principals });
  const topology = { queues: systemQueues(instances.map((n) => `instance-${n}`)), retryDelaysMs: loadConfig({}).AMQP_RETRY_DELAYS_MS };
  return {
    users: [
      {
        name: operator.user,
        password_hash: passwordHash(operator.user, operator.password),
        hashing_algorithm: 'rabbit_password_hashing_sha256',
        tags: ['administrator'],
      },
      ...users.users,
    ],
    vhosts: [{ name: composeVhost }],
    permissions: [{ user: operator.user, vhost: composeVhost, configure: '.*', write: '.*', read: '.*' }, ...users.permissions],
    topic_permissions: users.topic_permissions,
    parameters: [],
    global_parameters: [],
    policies: [],
    ...(await topologyDefinitions(composeVhost, topology)),
  };
}

/** Each process's database role in the compose stack, with a development password (the same in docker/postgres/init.sql). */
const composeRole = (principal: DatabasePrincipal) => ({ role: databaseRole('hap', principal), password: `dev-${principal}` });
const pgUrl = (principal: DatabasePrincipal) => {
  const { role, password } = composeRole(principal);
  return `postgres://${role}:${password}@postgres:5432`;
};

const sqlIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * docker/postgres/init.sql, run once by the postgres image on an empty
 * volume as its superuser (POSTGRES_USER, used by nothing else): HAP's
 * least-privilege roles and their databases, as tools/toolchain/postgres-roles.ts
 * makes them for npm start, and Temporal's stores.
 */
export function composePostgresInit(): string {
  const ids = instances.map((n) => `instance-${n}`);
  const lines = [
    '-- Written by `npm run compose` (tools/launcher/compose.ts); test/docker/compose.test.ts keeps it current.',
    '-- Runs once, when the postgres-data volume is empty (docker-entrypoint-initdb.d), as the superuser',
    '-- `hap` (POSTGRES_USER), which no HAP process uses.',
    '',
    "-- One role per service, owner of its write database and its instances' read databases, which no one",
    "-- else may connect to; the saga worker's role may connect to scheduling's write database only, where",
    '-- scheduling grants it the consultation table once migrated. Development passwords: change them for a deployment.',
    ...databasePrincipals.map((principal) => {
      const { role, password } = composeRole(principal);
      return `CREATE ROLE ${sqlIdentifier(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}';`;
    }),
    ...serviceNames.flatMap((name) =>
      ownedDatabases('hap', name, ids).flatMap((database) => [
        `CREATE DATABASE ${sqlIdentifier(database)} OWNER ${sqlIdentifier(composeRole(name).role)};`,
        `REVOKE CONNECT, TEMPORARY ON DATABASE ${sqlIdentifier(database)} FROM PUBLIC;`,
      ]),
    ),
    `GRANT CONNECT ON DATABASE ${sqlIdentifier(databaseName('hap', 'scheduling'))} TO ${sqlIdentifier(composeRole('worker').role)};`,
    '',
    "-- Temporal's persistence and visibility stores, owned by a role of their own.",
    '-- Their schemas are applied (and upgraded) by the temporal-schema job with',
    '-- temporal-sql-tool; the databases exist beforehand so that job is idempotent.',
    "CREATE ROLE temporal WITH LOGIN PASSWORD 'temporal';",
    'CREATE DATABASE temporal OWNER temporal;',
    'CREATE DATABASE temporal_visibility OWNER temporal;',
    '',
    '-- The visibility schema uses GIN indexes; creating the extension here, as the',
    '-- superuser, spares the temporal role the privilege.',
    '\\connect temporal_visibility',
    'CREATE EXTENSION IF NOT EXISTS btree_gin;',
  ];
  return `${lines.join('\n')}\n`;
}

function processBlock(name: string, entry: string, env: Record<string, string>, dependsOn: string): string {
  return [
    `  ${name}:`,
    '    <<: *hap',
    `    command: ['node', '--import', 'tsx', '${entry}']`,
    '    environment:',
    '      <<: *hap-env',
    ...Object.entries(env).map(([key, value]) => `      ${key}: ${value}`),
    `    depends_on: ${dependsOn}`,
  ].join('\n');
}

/**
 * The HAP processes of the compose stack, from the service registry: the
 * gateway pointed at two instances of every service, the saga worker, the
 * bridge, and the instances themselves. A service added to the registry is
 * added here by `npm run compose`; test/docker/compose.test.ts checks that
 * the committed file holds exactly this.
 */
export function composeServicesSection(): string {
  const gateway = [
    '  gateway:',
    '    <<: *hap',
    "    command: ['node', '--import', 'tsx', 'gateway/main.ts']",
    '    environment:',
    '      <<: *hap-env',
    `      PORT: '${gatewayPort}'`,
    ...serviceNames.map(
      (name) => `      ${gatewayUrlsKey(name)}: ${instances.map((n) => `http://${name}-${n}:${defaultPort(name, n)}`).join(',')}`,
    ),
    `      GATEWAY_SAGA_URLS: http://worker:${processPorts.worker},http://bridge:${processPorts.bridge}`,
    '    healthcheck:',
    '      test:',
    `        ${healthcheck('/health')}`,
    '      interval: 5s',
    '      timeout: 5s',
    '      retries: 24',
    '      start_period: 10s',
    '    depends_on:',
    ...serviceNames.flatMap((name) => instances.map((n) => `      ${name}-${n}: { condition: service_healthy }`)),
    '    ports:',
    `      - '\${HAP_GATEWAY_PORT:-${gatewayPort}}:${gatewayPort}'`,
  ].join('\n');
  const needs = (identity: ServiceIdentity) => (identity.usesTemporal ? '*needs-temporal' : '*needs-infra');
  const blocks = [
    gateway,
    processBlock(
      'worker',
      'worker/main.ts',
      { INSTANCE_ID: 'worker-1', PORT: `'${processPorts.worker}'`, AMQP_URL: amqpUrl('worker'), PG_URL: pgUrl('worker') },
      '*needs-temporal',
    ),
    processBlock(
      'bridge',
      'bridge/main.ts',
      { INSTANCE_ID: 'bridge-1', PORT: `'${processPorts.bridge}'`, AMQP_URL: amqpUrl('bridge') },
      '*needs-temporal',
    ),
    ...serviceNames.flatMap((name) =>
      instances.map((n) =>
        processBlock(
          `${name}-${n}`,
          serviceEntry(name),
          { INSTANCE_ID: `instance-${n}`, PORT: `'${defaultPort(name, n)}'`, AMQP_URL: amqpUrl(name), PG_URL: pgUrl(name) },
          needs(serviceRegistry[name]),
        ),
      ),
    ),
  ];
  return `${composeSectionStart}\n${blocks.join('\n\n')}\n`;
}

/** The compose file with its HAP part replaced by composeServicesSection(). */
export function withComposeServices(file: string): string {
  const start = file.indexOf(composeSectionStart);
  const end = file.indexOf(composeSectionEnd, start);
  if (start < 0 || end < 0) throw new Error(`docker/compose.yaml has lost its markers: "${composeSectionStart.trim()}" … "volumes:"`);
  return `${file.slice(0, start)}${composeServicesSection()}${file.slice(end)}`;
}

/** Where the compose stack's Prometheus finds its scrape token (written by the metrics-token job). */
export const prometheusTokenFile = '/etc/prometheus/secrets/admin-token';

/**
 * docker/prometheus/prometheus.yml: every HAP process of the compose stack
 * scraped at GET /metrics with an admin token (the endpoint is the admin's),
 * one job per process family, from the same registry as the processes.
 */
export function composePrometheusConfig(): string {
  const target = (host: string, port: number) => `'${host}:${port}'`;
  const job = (name: string, targets: string[]) =>
    [
      `  - job_name: ${name}`,
      '    authorization:',
      '      type: Bearer',
      `      credentials_file: ${prometheusTokenFile}`,
      '    static_configs:',
      `      - targets: [${targets.join(', ')}]`,
    ].join('\n');
  const lines = [
    '# Written by `npm run compose` (tools/launcher/compose.ts); test/docker/compose.test.ts keeps it current.',
    '# Every HAP process serves Prometheus text at GET /metrics to the admin role; the metrics-token',
    '# job of docker/compose.yaml writes the token this file names.',
    'global:',
    '  scrape_interval: 5s',
    '  evaluation_interval: 5s',
    '',
    'scrape_configs:',
    job('gateway', [target('gateway', gatewayPort)]),
    job('worker', [target('worker', processPorts.worker)]),
    job('bridge', [target('bridge', processPorts.bridge)]),
    ...serviceNames.map((name) =>
      job(
        name,
        instances.map((n) => target(`${name}-${n}`, defaultPort(name, n))),
      ),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
