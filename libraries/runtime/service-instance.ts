import { sql } from 'drizzle-orm';
import { auditRoutes } from '../audit/routes';
import { auditLog } from '../audit/store';
import { createGuard, type Guard } from '../auth/guard';
import { createVerifier } from '../auth/verifier';
import type { Config } from '../config/env';
import { serviceRegistry, type ServiceIdentity, type ServiceName, type SourceService } from '../config/services';
import { authSettings, instancePort } from '../config/env';
import type { MigrationSet } from '../db/migrate';
import { createServiceApp, type AppEnv } from '../http/app';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ReadinessCheck } from '../http/health';
import { pruneIdempotencyKeys } from '../http/idempotency';
import { serveHttp } from '../http/serve';
import { startPeriodicJobs, type PeriodicJob } from '../common/periodic';
import type { Logger } from '../observability/logging/logger';
import { createMetrics } from '../observability/metrics';
import type { Telemetry } from '../observability/telemetry';
import { Broker } from '../messaging/broker';
import { Consumer } from '../messaging/consumer';
import { idempotent, idempotentProjection, type Projection, type TransactionalHandler } from '../messaging/inbox';
import { pruneInbox } from '../messaging/inbox-retention';
import { OutboxRelay } from '../messaging/outbox-relay';
import { publisherCheck } from '../messaging/permissions';
import { retryPolicyFrom } from '../messaging/retry-policy';
import { dlqName, instanceQueue, sagaQueue } from '../messaging/topology';
import { countPendingOutbox } from '../messaging/outbox';
import { openServiceDatabases, type ServiceDatabases } from './databases';
import { deadLetterRoutes } from './dead-letters';
import { ReadModelLag } from './read-model-lag';
import { ReadModelFeed, readsWaitFor, truncateReadModel } from './read-model-feed';
import { readModelRoutes } from './read-model-routes';
import { messagingMigrations } from '../messaging/migration-set';
import { DeadLetterStore } from '../messaging/dead-letter-store';

// Any chain of routes: each service exports its own, precisely typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ServiceRoutes = OpenAPIHono<AppEnv, any, any>;

export interface InstanceContext {
  config: Config;
  instanceId: string;
  databases: ServiceDatabases;
  logger: Logger;
  /** Wraps a secured route with the access check of its operation (libraries/auth/guard.ts), auditing where the table says. */
  guard: Guard;
}

type Db = ServiceDatabases['write']['db'];

/** What makes a service: its data, its HTTP API, and what it does with events. */
export interface ServiceDefinition {
  /** Its entry in the registry (libraries/config/services.ts): source name, queues, ports, database names. */
  name: ServiceName;
  title: string;
  description: string;
  /** Its read model's tables, and its write model's unless it keeps none (reporting): the kit's own tables come with every write database. */
  migrations: { write?: MigrationSet; read: MigrationSet };
  /** Saga participant on `<service>.saga`, applied to the write database. */
  sagaHandler?: (context: InstanceContext) => TransactionalHandler<Db>;
  /** Read-model projection on `<service>.<instance>.events`, applied to this instance's read database. */
  projection: (context: InstanceContext) => Projection<Db>;
  /** The service's HTTP API: a chained sub-app (libraries/http/app.ts createRouter) the frame mounts at `/`. */
  routes: (context: InstanceContext) => ServiceRoutes;
  /** Readiness checks beyond the databases and the broker (e.g. Temporal). */
  checks?: ReadinessCheck[];
  /** Runs once its databases are migrated, before anything is consumed or served (scheduling grants the worker its table). */
  prepare?: (context: InstanceContext) => Promise<void>;
  /** Timed work of the service's own (e.g. releasing expired holds); the runtime adds the inbox retention. */
  jobs?: (context: InstanceContext) => PeriodicJob[];
}

export interface RunningInstance {
  service: SourceService;
  instanceId: string;
  port: number;
  url: string;
  databases: ServiceDatabases;
  /** Resolves once its read model is current and its queue consumed (at once unless it started empty). */
  caughtUp: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts one instance: databases (migrated; created if its role may),
 * the broker (its topology checked, never declared), outbox relay, saga and
 * projection consumers that take each event only from its sender, then HTTP
 * behind bearer tokens and the access guard. stop() reverses it: HTTP first,
 * consumers drained, relay and pools closed.
 */
export async function startInstance(
  definition: ServiceDefinition,
  config: Config,
  baseLogger: Logger,
  telemetry: Telemetry,
): Promise<RunningInstance> {
  const instanceId = config.INSTANCE_ID;
  const service = serviceRegistry[definition.name].source;
  const logger = baseLogger.child({ service, instance: instanceId });
  const audited = (serviceRegistry[definition.name] as ServiceIdentity).audited === true;
  const verifier = await createVerifier(authSettings(config));
  const databases = await openServiceDatabases({
    config,
    name: definition.name,
    instanceId,
    migrations: definition.migrations,
    audited,
    logger,
  });
  const stack: (() => Promise<void>)[] = [() => databases.close()];
  const stopAll = async () => {
    for (const stop of stack.reverse()) await stop().catch((error: unknown) => logger.error('shutdown step failed', { error }));
  };

  try {
    const sagaSpec = definition.sagaHandler ? sagaQueue(service) : undefined;
    const eventsSpec = instanceQueue(service, instanceId);
    const metrics = createMetrics({ service, instance: instanceId });
    const broker = await Broker.connect({
      metrics,
      tracer: telemetry.tracer,
      url: config.AMQP_URL,
      connectionName: `${service}.${instanceId}`,
      topology: { queues: [...(sagaSpec ? [sagaSpec] : []), eventsSpec], retryDelaysMs: config.AMQP_RETRY_DELAYS_MS },
      logger,
      publishTimeoutMs: config.AMQP_PUBLISH_TIMEOUT_MS,
    });
    stack.push(() => broker.close());

    const relay = new OutboxRelay({
      pool: databases.write.pool,
      publisher: broker,
      logger,
      batchSize: config.OUTBOX_BATCH_SIZE,
      pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    });
    relay.start();
    stack.push(() => relay.stop());
    const ownQueues = [...(sagaSpec ? [sagaSpec.name] : []), eventsSpec.name];
    metrics.observe({
      outboxPending: () => countPendingOutbox(databases.write.pool),
      dlqMessages: () => broker.queueDepths(ownQueues.map(dlqName)),
    });

    const guard = createGuard(audited ? auditLog(databases.write.db) : undefined);
    const context: InstanceContext = { config, instanceId, databases, logger, guard };
    await definition.prepare?.(context);
    // Each event only from the broker user the catalog names as its sender.
    const shared = {
      prefetch: config.AMQP_PREFETCH,
      retry: retryPolicyFrom(config),
      logger,
      publishers: publisherCheck(config.AMQP_USER_PREFIX, broker.user),
      metrics,
      tracer: telemetry.tracer,
    };
    const consumers: Consumer[] = [];
    if (sagaSpec && definition.sagaHandler) {
      const handler = idempotent(databases.write.db, sagaSpec.name, definition.sagaHandler(context));
      consumers.push(await Consumer.start(broker, { queue: sagaSpec.name, handler, ...shared }));
    }
    const lag = new ReadModelLag({
      queue: eventsSpec.name,
      readDb: databases.read.db,
      waiting: async () => (await broker.queueDepths([eventsSpec.name]))[eventsSpec.name] ?? 0,
    });
    const applied = idempotentProjection(databases.read.db, eventsSpec.name, definition.projection(context));
    const projection: typeof applied = async (event, delivery) => {
      const outcome = await applied(event, delivery);
      if (outcome !== 'duplicate') lag.applied(event);
      return outcome;
    };
    metrics.observe({ readModel: () => lag.report() });
    // An empty read model (a new instance, a rebuilt one) replays the history first; its queue keeps what comes meanwhile.
    const feed = new ReadModelFeed({
      replay: {
        broker,
        queue: eventsSpec,
        handler: projection,
        publishers: shared.publishers,
        logger,
        idleMs: config.HISTORY_REPLAY_IDLE_MS,
      },
      readDb: databases.read.db,
      consume: () => Consumer.start(broker, { queue: eventsSpec.name, handler: projection, ...shared }),
      truncate: async () =>
        void (await truncateReadModel(databases.read.pool, [messagingMigrations.table, definition.migrations.read.table])),
      logger,
    });
    await feed.start();
    stack.push(async () => void (await Promise.all(consumers.map((consumer) => consumer.stop()))));
    stack.push(() => feed.stop());

    const jobs = startPeriodicJobs([...retentionJobs(config, databases), ...(definition.jobs?.(context) ?? [])], logger);
    stack.push(() => jobs.stop());

    const app = createServiceApp({
      service,
      instance: instanceId,
      metrics,
      tracer: telemetry.tracer,
      title: definition.title,
      description: definition.description,
      logger,
      maxBodyBytes: config.HTTP_MAX_BODY_BYTES,
      verifier,
      readyDetails: async () => ({ readModel: await lag.report() }),
      checks: [
        { name: 'writeDatabase', check: async () => void (await databases.write.db.execute(sql`SELECT 1`)) },
        { name: 'readDatabase', check: async () => void (await databases.read.db.execute(sql`SELECT 1`)) },
        { name: 'broker', check: () => broker.check() },
        ...(definition.checks ?? []),
        feed.check,
      ],
    });
    // While catching up, reads go elsewhere: the gateway takes a 503 to a GET to another instance.
    app.use(readsWaitFor(feed));
    app.route('/', definition.routes(context));
    app.route('/', deadLetterRoutes(guard, deadLetterStore(broker, config), ownQueues));
    app.route('/', readModelRoutes(guard, feed));
    if (audited) app.route('/', auditRoutes(guard, databases.write.db, service));
    const server = await serveHttp(app, instancePort(config, definition.name), config.HTTP_HOST);
    stack.push(() => server.close());
    logger.info('instance started', { port: server.port });

    return {
      service,
      instanceId,
      port: server.port,
      url: `http://127.0.0.1:${server.port}`,
      databases,
      caughtUp: feed.caughtUp,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Event ids no redelivery can need any more (INBOX_RETENTION_HOURS), and Idempotency-Key answers past IDEMPOTENCY_RETENTION_HOURS. */
function retentionJobs(config: Config, databases: ServiceDatabases): PeriodicJob[] {
  const before = () => new Date(Date.now() - config.INBOX_RETENTION_HOURS * 3_600_000);
  return [
    {
      name: 'write-inbox-retention',
      intervalMs: config.RETENTION_SWEEP_INTERVAL_MS,
      run: async () => void (await pruneInbox(databases.write.db, before())),
    },
    {
      name: 'read-inbox-retention',
      intervalMs: config.RETENTION_SWEEP_INTERVAL_MS,
      run: async () => void (await pruneInbox(databases.read.db, before())),
    },
    {
      name: 'idempotency-key-retention',
      intervalMs: config.RETENTION_SWEEP_INTERVAL_MS,
      run: async () =>
        void (await pruneIdempotencyKeys(databases.write.db, new Date(Date.now() - config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000))),
    },
  ];
}

/** The instance's own DLQs, read and replayed with its own login: it consumes those queues. */
function deadLetterStore(broker: Broker, config: Config): DeadLetterStore {
  return new DeadLetterStore({
    connection: { createChannel: () => broker.openChannel() },
    republish: (_queue, message) => broker.publish(message),
    retryDelayMs: config.AMQP_RETRY_DELAYS_MS[0] ?? 1000,
  });
}
