import { sql } from 'drizzle-orm';
import { auditRoutes } from '../audit/routes';
import { auditLog } from '../audit/store';
import { createGuard, type Guard } from '../auth/guard';
import { createVerifier, type TokenVerifier } from '../auth/verifier';
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
import { Teardown } from '../common/teardown';
import type { Logger } from '../observability/logging/logger';
import { createMetrics, type Metrics } from '../observability/metrics';
import type { Telemetry } from '../observability/telemetry';
import { Broker } from '../messaging/broker';
import { Consumer } from '../messaging/consumer';
import { idempotent, idempotentProjection, type Projection, type TransactionalHandler } from '../messaging/inbox';
import { pruneInbox } from '../messaging/inbox-retention';
import { OutboxRelay } from '../messaging/outbox-relay';
import { publisherCheck } from '../messaging/permissions';
import { retryPolicyFrom } from '../messaging/retry-policy';
import { dlqName, instanceQueue, sagaQueue, type QueueSpec } from '../messaging/topology';
import { countPendingOutbox } from '../messaging/outbox';
import { openServiceDatabases, type ServiceDatabases } from './databases';
import { connectProcessBroker } from './process-broker';
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

/** Who an instance is (its service's source name, its id, whether it keeps an access audit) and what it logs, counts and traces with. */
interface InstanceIdentity {
  definition: ServiceDefinition;
  config: Config;
  service: SourceService;
  instanceId: string;
  logger: Logger;
  audited: boolean;
  metrics: Metrics;
  telemetry: Telemetry;
}

/**
 * Starts one instance: databases (migrated; created if its role may),
 * the broker (its topology checked, never declared), outbox relay, saga and
 * projection consumers that take each event only from its sender, then HTTP
 * behind bearer tokens and the access guard. stop() reverses it: HTTP first,
 * consumers drained, relay and pools closed; a start that fails half-way
 * closes what it had opened.
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
  const metrics = createMetrics({ service, instance: instanceId });
  const identity: InstanceIdentity = { definition, config, service, instanceId, logger, audited, metrics, telemetry };
  const verifier = await createVerifier(authSettings(config));
  const opened = new Teardown();
  const logFailure = (error: unknown) => logger.error('shutdown step failed', { error });

  return opened.guard(async () => {
    const databases = opened.add(
      await openServiceDatabases({ config, name: definition.name, instanceId, migrations: definition.migrations, audited, logger }),
      (open) => open.close(),
    );
    const queues = instanceQueues(identity);
    const broker = opened.add(
      await connectProcessBroker(config, { name: `${service}.${instanceId}`, queues: queues.all, logger, metrics, telemetry }),
      (connected) => connected.close(),
    );
    startOutboxRelay(identity, databases, broker, queues, opened);
    const guard = createGuard(audited ? auditLog(databases.write.db) : undefined);
    const context: InstanceContext = { config, instanceId, databases, logger, guard };
    await definition.prepare?.(context);
    const consuming = consumerOptions(identity, broker);
    if (queues.saga && definition.sagaHandler) {
      const handler = idempotent(databases.write.db, queues.saga.name, definition.sagaHandler(context));
      opened.add(await Consumer.start(broker, { queue: queues.saga.name, handler, ...consuming }), (consumer) => consumer.stop());
    }
    const { feed, lag } = await startReadModel(identity, context, broker, queues.events, consuming);
    opened.add(feed, (started) => started.stop());
    const jobs = startPeriodicJobs([...retentionJobs(config, databases), ...(definition.jobs?.(context) ?? [])], logger);
    opened.add(jobs, (started) => started.stop());

    const app = instanceApp(identity, verifier, { databases, broker, feed, lag, checks: definition.checks ?? [] });
    app.use(readsWaitFor(feed));
    app.route('/', definition.routes(context));
    app.route('/', deadLetterRoutes(guard, deadLetterStore(broker, config), queues.own));
    app.route('/', readModelRoutes(guard, feed));
    if (audited) app.route('/', auditRoutes(guard, databases.write.db, service));
    // Closed first on stop: no new requests while the consumers drain.
    const server = opened.add(await serveHttp(app, instancePort(config, definition.name), config.HTTP_HOST), (http) => http.close());
    logger.info('instance started', { port: server.port });

    return {
      service,
      instanceId,
      port: server.port,
      url: `http://127.0.0.1:${server.port}`,
      databases,
      caughtUp: feed.caughtUp,
      stop: () => opened.run(logFailure),
    };
  }, logFailure);
}

/** Its saga queue (when the service takes part in sagas) and its own events queue. */
function instanceQueues({ definition, service, instanceId }: InstanceIdentity) {
  const saga = definition.sagaHandler ? sagaQueue(service) : undefined;
  const events = instanceQueue(service, instanceId);
  const all = [...(saga ? [saga] : []), events];
  return { saga, events, all, own: all.map((queue) => queue.name) };
}

/** The relay that publishes what commands wrote to the outbox, and the backlog and dead-letter gauges. */
function startOutboxRelay(
  { config, logger, metrics }: InstanceIdentity,
  databases: ServiceDatabases,
  broker: Broker,
  queues: { own: string[] },
  opened: Teardown,
): void {
  const relay = new OutboxRelay({
    pool: databases.write.pool,
    publisher: broker,
    logger,
    batchSize: config.OUTBOX_BATCH_SIZE,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
  });
  relay.start();
  opened.add(relay, (started) => started.stop());
  metrics.observe({
    outboxPending: () => countPendingOutbox(databases.write.pool),
    dlqMessages: () => broker.queueDepths(queues.own.map(dlqName)),
  });
}

/** What every consumer of the instance shares; each event is taken only from the broker user the catalog names as its sender. */
function consumerOptions({ config, logger, metrics, telemetry }: InstanceIdentity, broker: Broker) {
  return {
    prefetch: config.AMQP_PREFETCH,
    retry: retryPolicyFrom(config),
    logger,
    publishers: publisherCheck(config.AMQP_USER_PREFIX, broker.user),
    metrics,
    tracer: telemetry.tracer,
  };
}

/**
 * The read model's feed: its projection behind the inbox, counted for the lag
 * report. An empty read model (a new instance, a rebuilt one) replays the
 * history first; its queue keeps what comes meanwhile.
 */
async function startReadModel(
  { definition, config, logger, metrics }: InstanceIdentity,
  context: InstanceContext,
  broker: Broker,
  queue: QueueSpec,
  consuming: ReturnType<typeof consumerOptions>,
): Promise<{ feed: ReadModelFeed; lag: ReadModelLag }> {
  const { read } = context.databases;
  const lag = new ReadModelLag({
    queue: queue.name,
    readDb: read.db,
    waiting: async () => (await broker.queueDepths([queue.name]))[queue.name] ?? 0,
  });
  const applied = idempotentProjection(read.db, queue.name, definition.projection(context));
  const projection: typeof applied = async (event, delivery) => {
    const outcome = await applied(event, delivery);
    if (outcome !== 'duplicate') lag.applied(event);
    return outcome;
  };
  metrics.observe({ readModel: () => lag.report() });
  const feed = new ReadModelFeed({
    replay: { broker, queue, handler: projection, publishers: consuming.publishers, logger, idleMs: config.HISTORY_REPLAY_IDLE_MS },
    readDb: read.db,
    consume: () => Consumer.start(broker, { queue: queue.name, handler: projection, ...consuming }),
    truncate: async () => void (await truncateReadModel(read.pool, [messagingMigrations.table, definition.migrations.read.table])),
    logger,
  });
  await feed.start();
  return { feed, lag };
}

/** The HTTP frame of an instance: tokens, metrics, traces, and /ready from its databases, broker, feed and the service's own checks. */
function instanceApp(
  { definition, service, instanceId, logger, metrics, telemetry, config }: InstanceIdentity,
  verifier: TokenVerifier,
  parts: { databases: ServiceDatabases; broker: Broker; feed: ReadModelFeed; lag: ReadModelLag; checks: ReadinessCheck[] },
) {
  const { databases, broker, feed, lag } = parts;
  return createServiceApp({
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
      ...parts.checks,
      feed.check,
    ],
  });
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
