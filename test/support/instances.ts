import { inject } from 'vitest';
import { loadConfig, type Config } from '../../libraries/config/env';
import { databaseName, dropDatabase, listDatabases } from '../../libraries/db/database';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { serviceRegistry, type SourceService } from '../../libraries/config/services';
import { Broker } from '../../libraries/messaging/broker';
import { instanceQueue, sagaQueue, sagaQueues } from '../../libraries/messaging/topology';
import { startInstance, type RunningInstance, type ServiceDefinition } from '../../libraries/runtime/service-instance';
import { dropDatabaseRoles, ensureServiceDatabases } from '../../tools/toolchain/postgres-roles';
import { asPrincipal, makeDatabaseRoles } from './broker-logins';
import { noTelemetry, type Telemetry } from '../../libraries/observability/telemetry';

/**
 * Configuration for service instances under test: the test's own vhost and
 * database prefix, a free port, quick retries. Two instances started with the
 * same prefix share the write database and each own a read database.
 */
export function testConfig(amqpUrl: string, dbPrefix: string, overrides: Record<string, string> = {}): Config {
  return loadConfig({
    AMQP_URL: amqpUrl,
    PG_URL: inject('pgUrl'),
    DB_PREFIX: dbPrefix,
    PORT: '0',
    HTTP_HOST: '127.0.0.1',
    AMQP_RETRY_DELAYS_MS: '200,400',
    OUTBOX_POLL_INTERVAL_MS: '200',
    HISTORY_REPLAY_IDLE_MS: '200',
    // Several files run at once, each with many pools, against one PostgreSQL (max_connections 100).
    PG_POOL_MAX: '4',
    LOG_LEVEL: 'error',
    // Tests book far ahead (never in the past, however long a run lasts); the horizon itself is tested on its own.
    BOOKING_HORIZON_DAYS: '1000000',
    AUTH_DEV_KEY_FILE: inject('authKeyFile'),
    ...overrides,
  });
}

/** A database prefix under this run's id, unique to the caller. */
export function testDbPrefix(label: string): string {
  return databaseName(inject('runId'), label, Math.random().toString(36).slice(2, 6));
}

/**
 * Declares the instance's queues as the setup user (the sandbox's guest), as
 * `npm start` does before any process starts, then starts the instance
 * logged in as its service's broker user.
 */
export async function startTestInstance(
  definition: ServiceDefinition,
  config: Config,
  instanceId: string,
  telemetry: Telemetry = noTelemetry(serviceRegistry[definition.name].source, instanceId),
): Promise<RunningInstance> {
  await declareForInstance(config, serviceRegistry[definition.name].source, instanceId);
  // Its databases owned by its own role, as npm start makes them (tools/toolchain/postgres-roles.ts).
  await makeDatabaseRoles(config);
  await ensureServiceDatabases({ pgUrl: config.PG_URL, prefix: config.DB_PREFIX, service: definition.name, instanceIds: [instanceId] });
  const instance = await startInstance(
    definition,
    { ...asPrincipal(config, definition.name), INSTANCE_ID: instanceId },
    silentLogger,
    telemetry,
  );
  // Its read model starts empty: a test begins once it has replayed the (test vhost's) history and consumes its queue.
  await instance.caughtUp;
  return instance;
}

/** What `npm start` declares for one instance before it starts: its queues, its saga queue, the retry queues. */
export async function declareForInstance(config: Config, service: SourceService, instanceId: string): Promise<void> {
  const queues = [...sagaQueues().filter((queue) => queue.name === sagaQueue(service).name), instanceQueue(service, instanceId)];
  const setup = await Broker.connect({
    url: config.AMQP_URL,
    connectionName: `test-setup-${instanceId}`,
    topology: { queues, retryDelaysMs: config.AMQP_RETRY_DELAYS_MS },
    declare: true,
    logger: silentLogger,
  });
  await setup.close();
}

/** Drops every database made under the prefix, then the roles that owned them. */
export async function dropDatabases(prefix: string): Promise<void> {
  const pgUrl = inject('pgUrl');
  for (const name of await listDatabases(pgUrl, prefix)) await dropDatabase(pgUrl, name);
  await dropDatabaseRoles(pgUrl, prefix);
}
