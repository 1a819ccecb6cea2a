import { loadConfig, type Config } from '../config/env';
import { serviceRegistry } from '../config/services';
import { createLogger } from '../observability/logging/logger';
import { startInstance, type ServiceDefinition } from './service-instance';
import { runProcess } from './process';
import { processTelemetry } from './process-telemetry';
import type { Telemetry } from '../observability/telemetry';

/** A definition that needs connections of its own first (scheduling's Temporal client), and how to let them go. */
export interface PreparedService {
  definition: ServiceDefinition;
  release(): Promise<void>;
}

/**
 * Entry point body of every service process: configuration from the
 * environment, start (waiting for dependencies that are away), and a clean
 * stop on SIGTERM/SIGINT (HTTP closed, consumers drained, pools closed),
 * then whatever the preparation holds is released.
 */
export async function runService(
  service: ServiceDefinition | ((telemetry: Telemetry) => Promise<PreparedService>),
  options: { config?: Config; name?: string } = {},
): Promise<void> {
  const config = options.config ?? loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const prepare = typeof service === 'function' ? service : async () => ({ definition: service, release: async () => {} });
  const name = options.name ?? (typeof service === 'function' ? 'service' : serviceRegistry[service.name].source);
  const telemetry = processTelemetry(name, config);
  const run = async () => {
    const { definition, release } = await prepare(telemetry);
    try {
      const instance = await startInstance(definition, config, logger, telemetry);
      return {
        stop: async () => {
          await instance.stop();
          await release();
        },
      };
    } catch (error) {
      await release().catch(() => {});
      throw error;
    }
  };
  await runProcess(`${name} ${config.INSTANCE_ID}`, logger, run, { telemetry });
}
