// Starts the gateway: the public entry point (PORT, default 3000) for every path of docs/api.md.
import { createVerifier } from '../libraries/auth/verifier';
import { authSettings, loadConfig, instancePort } from '../libraries/config/env';
import { serveHttp } from '../libraries/http/serve';
import { createLogger } from '../libraries/observability/logging/logger';
import { processTelemetry } from '../libraries/runtime/process-telemetry';
import { runProcess } from '../libraries/runtime/process';
import { createGatewayApp } from './app';

const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL, fields: { process: 'gateway' } });
const telemetry = processTelemetry('gateway', config);
await runProcess(
  'gateway',
  logger,
  async () => {
    const verifier = await createVerifier(authSettings(config));
    const server = await serveHttp(
      createGatewayApp(config, logger, verifier, telemetry),
      instancePort(config, 'gateway'),
      config.HTTP_HOST,
    );
    logger.info('gateway started', { port: server.port });
    return { stop: () => server.close() };
  },
  { telemetry },
);
