import { loadConfig, type Config } from '../../config/env';
import { createLogger } from '../../logging/logger';
import { startInstance, type ServiceDefinition } from './instance';
import { runProcess } from './process';

/**
 * Entry point body of every service process: configuration from the
 * environment, start, and a clean stop on SIGTERM/SIGINT (HTTP closed,
 * consumers drained, pools closed), then whatever `afterStop` releases.
 */
export async function runService(definition: ServiceDefinition, options: { config?: Config; afterStop?: () => Promise<void> } = {}): Promise<void> {
  const config = options.config ?? loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  await runProcess(`${definition.service} ${config.INSTANCE_ID}`, logger, async () => {
    const instance = await startInstance(definition, config, logger);
    return {
      stop: async () => {
        await instance.stop();
        await options.afterStop?.();
      },
    };
  });
}
