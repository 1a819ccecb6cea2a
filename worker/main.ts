// Starts the saga worker: Temporal workflows and activities on the sagas task queue; /health and /ready on PORT (default 3020).
import { MetricsBuffer, Runtime } from '@temporalio/worker';
import { instancePort, loadConfig } from '../libraries/config/env';
import { createLogger } from '../libraries/observability/logging/logger';
import { processTelemetry } from '../libraries/runtime/process-telemetry';
import { runProcess } from '../libraries/runtime/process';
import { startSagaWorker } from './start';

// One owner of SIGTERM/SIGINT: runProcess stops the worker, then closes its connections.
// The SDK's metrics (and the sagas' own) are buffered for the worker's GET /metrics.
const sdkMetrics = new MetricsBuffer({ useSecondsForDurations: true });
Runtime.install({ shutdownSignals: [], telemetryOptions: { metrics: { buffer: sdkMetrics, attachServiceName: false } } });

const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL });
const telemetry = processTelemetry('saga-worker', config);
await runProcess(
  'saga worker',
  logger,
  async () => {
    const worker = await startSagaWorker(config, logger, { port: instancePort(config, 'worker'), telemetry, sdkMetrics });
    // A worker that dies on its own (e.g. Temporal gone for good) ends the process, so a supervisor restarts it.
    worker.done.catch((error: unknown) => {
      logger.error('saga worker stopped', { error });
      process.exit(1);
    });
    return worker;
  },
  { telemetry },
);
