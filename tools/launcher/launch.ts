import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Config } from '../../libraries/config/env';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { Broker } from '../../libraries/messaging/broker';
import { systemQueues, type QueueSpec } from '../../libraries/messaging/topology';
import { brokerUserName } from '../../libraries/config/broker-principals';
import { temporalConfig } from '../../temporal.config';
import { databaseRole } from '../../libraries/db/database';
import { ensureBrokerUsers, urlAs, vhostOf } from '../toolchain/broker-users';
import { brokerPasswordFile, passwordFile } from '../toolchain/password-file';
import { ensureDatabaseRoles, ensureServiceDatabases, pgUrlAs } from '../toolchain/postgres-roles';
import { serviceNames, type ServiceName } from '../../libraries/config/services';
import { startDevServer, type DevServer } from '../toolchain/dev-server';
import { checkPostgres, checkRabbitMq, PrerequisiteError } from '../toolchain/prerequisites';
import { ensureTemporalBinaries, REPO_ROOT } from '../toolchain/temporal-binaries';
import { ManagedProcess } from './managed-process';
import { defaultPlanOptions, systemPlan, type PlanOptions, type ProcessSpec } from './plan';

export interface LaunchOptions {
  config: Config;
  plan?: PlanOptions;
  /** Each process writes <logDir>/<name>.log. */
  logDir: string;
  /** Readable, prefixed output of the processes. */
  echo?: (line: string) => void;
  /** The launcher's own steps. */
  progress?: (line: string) => void;
  /** Where each broker user's password comes from: by default made once and kept under .data/rabbitmq/. */
  brokerPasswords?: (user: string) => Promise<string>;
  /** Where each database role's password comes from: by default made once and kept under .data/postgres/. */
  databasePasswords?: (role: string) => Promise<string>;
  /** Settings of one process to change (the fault matrix routes one instance's broker connection through a proxy it can cut). */
  processEnv?: (spec: ProcessSpec) => Record<string, string>;
  /** Start a Temporal dev server when none answers at TEMPORAL_ADDRESS (npm start); tests bring their own. */
  startTemporal?: boolean;
  readyTimeoutMs?: number;
}

export interface LaunchedSystem {
  processes: ManagedProcess[];
  /** The dev server this launch started, if it had to. */
  temporal: DevServer | undefined;
  process(name: string): ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Brings the whole system up as real processes, the way `npm start` and the
 * end-to-end tests both do: prerequisites, Temporal, broker topology, then
 * every process of the plan, each waited for until it reports ready.
 */
export async function launchSystem(options: LaunchOptions): Promise<LaunchedSystem> {
  const { config } = options;
  const progress = options.progress ?? (() => {});
  const basePlan = options.plan ?? defaultPlanOptions;

  progress('checking PostgreSQL and RabbitMQ');
  await checkPostgres(config.PG_URL);
  await checkRabbitMq(config.AMQP_URL);
  await checkPortsFree(systemPlan(config, basePlan));

  let temporal: DevServer | undefined;
  if (await temporalAnswers(config.TEMPORAL_ADDRESS)) {
    progress(`using the Temporal server at ${config.TEMPORAL_ADDRESS}`);
  } else if (options.startTemporal ?? true) {
    progress('starting the Temporal dev server (state in .data/temporal.sqlite)');
    const binaries = await ensureTemporalBinaries({ log: progress });
    const dataDir = path.join(REPO_ROOT, '.data');
    await mkdir(dataDir, { recursive: true });
    temporal = await startDevServer({
      binary: binaries.temporal,
      port: Number(config.TEMPORAL_ADDRESS.split(':').at(-1) ?? 7233),
      uiPort: config.TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      searchAttributes: temporalConfig.searchAttributes,
      readyTimeoutMs: 120_000,
    });
  } else {
    throw new PrerequisiteError(`Temporal is not reachable at ${config.TEMPORAL_ADDRESS}`);
  }

  const instanceIds = Array.from({ length: basePlan.instances }, (_, i) => `instance-${i + 1}`);
  const { users, roles } = await setUpAccess(config, {
    queues: systemQueues(instanceIds),
    databases: serviceNames.map((service) => ({ service, instanceIds })),
    brokerPasswords: options.brokerPasswords,
    databasePasswords: options.databasePasswords,
    progress,
  });
  const plan = systemPlan(config, {
    ...basePlan,
    amqpUrl: (principal) => urlAs(config.AMQP_URL, users.principals[principal]),
    pgUrl: (principal) => pgUrlAs(config.PG_URL, roles[principal]),
  });

  // Again just before the processes bind them: a port free at the start may have been taken meanwhile.
  await checkPortsFree(plan).catch(async (error: unknown) => {
    await temporal?.stop();
    throw error;
  });
  await mkdir(options.logDir, { recursive: true });
  const processes = plan.map(
    (spec) =>
      new ManagedProcess(
        { ...spec, env: { ...spec.env, ...options.processEnv?.(spec) } },
        { logFile: path.join(options.logDir, `${spec.name}.log`), echo: options.echo },
      ),
  );
  const stop = async () => {
    await Promise.all(processes.map((managed) => managed.stop()));
    await temporal?.stop();
  };

  progress(`starting ${processes.length} processes (logs in ${options.logDir})`);
  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  try {
    await Promise.all(
      processes.map(async (managed) => {
        const started = Date.now();
        managed.start();
        await waitUntilReady(managed, managed.spec.url, timeoutMs);
        progress(`✓ ${managed.spec.name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    processes,
    temporal,
    process: (name) => {
      const found = processes.find((managed) => managed.spec.name === name);
      if (!found) throw new Error(`no process named ${name}`);
      return found;
    },
    stop,
  };
}

async function waitUntilReady(managed: ManagedProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${managed.spec.name} was not ready at ${url}/ready within ${timeoutMs} ms`);
}

export async function temporalAnswers(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

async function checkPortsFree(plan: ProcessSpec[]): Promise<void> {
  for (const spec of plan) {
    const port = Number(spec.env.PORT);
    if (spec.env.PORT && !(await portIsFree(port))) {
      throw new PrerequisiteError(
        `port ${port} (${spec.name}) is in use: is HAP already running? Stop whatever listens there, or set other ports.`,
      );
    }
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface AccessSetup {
  /** The queues to declare (with their DLQs), beside the exchanges, delay queues and history stream every topology has. */
  queues: QueueSpec[];
  /** The databases to make, owned by each service's role: its write database and these instances' read databases. */
  databases: { service: ServiceName; instanceIds: string[] }[];
  brokerPasswords?: (user: string) => Promise<string>;
  databasePasswords?: (role: string) => Promise<string>;
  progress: (line: string) => void;
}

/**
 * What must exist before a HAP process starts, made idempotently as the
 * setup logins of AMQP_URL and PG_URL: the broker users with their rights,
 * the topology, the database roles and databases. npm start makes it for the
 * whole plan; `npm run instance` for one more instance.
 */
export async function setUpAccess(config: Config, setup: AccessSetup) {
  const { progress } = setup;
  const vhost = vhostOf(config.AMQP_URL);
  progress(`making the broker users ${brokerUserName(config.AMQP_USER_PREFIX, 'setup')}, …-patients, …-worker, …-bridge (vhost ${vhost})`);
  const users = await ensureBrokerUsers({
    vhost,
    prefix: config.AMQP_USER_PREFIX,
    password: setup.brokerPasswords ?? passwordFile(brokerPasswordFile(vhost)),
  });
  progress('declaring exchanges, queues and dead-letter queues (as the setup user)');
  const broker = await Broker.connect({
    url: urlAs(config.AMQP_URL, users.setup),
    connectionName: 'hap-setup',
    topology: { queues: setup.queues, retryDelaysMs: config.AMQP_RETRY_DELAYS_MS },
    declare: true,
    logger: silentLogger,
  });
  await broker.close();
  progress(
    `making the database roles ${databaseRole(config.DB_PREFIX, 'patients')}, …, ${databaseRole(config.DB_PREFIX, 'worker')} and their databases`,
  );
  const roles = await ensureDatabaseRoles({
    pgUrl: config.PG_URL,
    prefix: config.DB_PREFIX,
    password: setup.databasePasswords ?? passwordFile(path.join(REPO_ROOT, '.data', 'postgres', `roles-${config.DB_PREFIX}.json`)),
  });
  for (const { service, instanceIds } of setup.databases)
    await ensureServiceDatabases({ pgUrl: config.PG_URL, prefix: config.DB_PREFIX, service, instanceIds });
  return { users, roles };
}
