import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createVerifier } from '../libraries/auth/verifier';
import { authSettings, type Config } from '../libraries/config/env';
import { databaseName } from '../libraries/db/database';
import type { Logger } from '../libraries/observability/logging/logger';
import { createServiceApp } from '../libraries/http/app';
import { serveHttp } from '../libraries/http/serve';
import { connectProcessBroker } from '../libraries/runtime/process-broker';
import { sagaQueues } from '../libraries/messaging/topology';
import { Teardown } from '../libraries/common/teardown';
import { openConfiguredDatabase } from '../libraries/runtime/databases';
import { checkConsultationStore } from '../services/scheduling';
import { createMetrics, exposeSdkMetrics, type SdkMetricsSource } from '../libraries/observability/metrics';
import { temporalWorkerPlugins, type Telemetry } from '../libraries/observability/telemetry';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
/** Counts and times every saga through the workflow metric meter (a workflow interceptor module). */
const sagaMetricsPath = fileURLToPath(new URL('../workflows/saga-metrics.ts', import.meta.url));

export interface SagaWorkerOptions {
  /** Where /health, /ready and /metrics answer; 0 for any free port. */
  port: number;
  telemetry: Telemetry;
  /** The Runtime's buffer of Temporal SDK metrics (worker/main.ts installs it), served at /metrics too. */
  sdkMetrics?: SdkMetricsSource;
}

export interface RunningWorker {
  /** Where /health and /ready answer. */
  port: number;
  /** Resolves when the worker has stopped (after stop(), or on a fatal error). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The saga worker: hosts workflows/ and activities/ on the sagas task queue.
 * Activities write scheduling's write database through scheduling's published
 * consultation model and publish with broker confirms. Scheduling owns that
 * database and migrates it; until it has, /ready says so and the activities
 * retry.
 */
export async function startSagaWorker(config: Config, baseLogger: Logger, options: SagaWorkerOptions): Promise<RunningWorker> {
  const { port, telemetry } = options;
  const logger = baseLogger.child({ process: 'worker' });
  const metrics = createMetrics({ service: 'saga-worker', instance: config.INSTANCE_ID });
  const sdkMetrics = options.sdkMetrics ? exposeSdkMetrics(metrics.registry, options.sdkMetrics) : undefined;
  // Until the worker runs, a failed step releases what the earlier ones opened (runProcess will try again).
  const opened = new Teardown();
  const { database, broker, connection, worker } = await opened.guard(async () => {
    const schedulingDb = databaseName(config.DB_PREFIX, 'scheduling');
    const database = opened.add(openConfiguredDatabase(config, schedulingDb, logger), (db) => db.close());
    const broker = opened.add(
      // The worker asks the participants and waits for their answers, so it waits for
      // the queues of both ends (the setup declares them): a question or an answer
      // published before the participant or the bridge first started is kept.
      await connectProcessBroker(config, { name: `saga-worker.${config.INSTANCE_ID}`, queues: sagaQueues(), logger, metrics, telemetry }),
      (connected) => connected.close(),
    );
    const connection = opened.add(await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS }), (native) => native.close());
    const worker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowsPath: config.WORKER_WORKFLOWS_PATH ?? workflowsPath,
      activities: createActivities({ db: database.db, publisher: broker }),
      interceptors: { workflowModules: [sagaMetricsPath] },
      plugins: temporalWorkerPlugins(telemetry),
    });
    return { database, broker, connection, worker };
  });
  const done = worker.run().finally(async () => {
    sdkMetrics?.stop();
    await connection.close();
    await broker.close();
    await database.close();
  });
  const app = createServiceApp({
    metrics,
    tracer: telemetry.tracer,
    service: 'saga-worker',
    instance: config.INSTANCE_ID,
    title: 'HAP saga worker',
    description: 'Hosts the saga workflows and their activities.',
    logger,
    verifier: await createVerifier(authSettings(config)),
    checks: [
      { name: 'database', check: () => checkConsultationStore(database.db) },
      { name: 'broker', check: () => broker.check() },
      { name: 'temporal', check: async () => void (await connection.workflowService.getSystemInfo({})) },
      {
        name: 'worker',
        check: async () => {
          if (worker.getState() !== 'RUNNING') throw new Error(`worker is ${worker.getState()}`);
        },
      },
    ],
  });
  const server = await serveHttp(app, port, config.HTTP_HOST).catch(async (error: unknown) => {
    // The port still held (by the process being replaced): let this worker go before runProcess tries again.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await done.catch(() => {});
    throw error;
  });
  logger.info('saga worker started', { taskQueue: config.TEMPORAL_TASK_QUEUE, port: server.port });
  return {
    port: server.port,
    done,
    stop: async () => {
      await server.close();
      // The SDK may already be draining (its runtime reacts to signals too).
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
