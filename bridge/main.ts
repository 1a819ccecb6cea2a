// Starts the saga bridge (AMQP replies → Temporal signals); /health and /ready on PORT (default 3010).
import { instancePort, loadConfig } from '../libraries/config/env';
import { createLogger } from '../libraries/observability/logging/logger';
import { processTelemetry } from '../libraries/runtime/process-telemetry';
import { runProcess } from '../libraries/runtime/process';
import { startBridge } from './start';

const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL });
const telemetry = processTelemetry('bridge', config);
await runProcess('bridge', logger, () => startBridge(config, logger, instancePort(config, 'bridge'), telemetry), { telemetry });
