import { loadConfig } from '../../config/env';
import { createLogger } from '../../logging/logger';
import { startInstance, type ServiceDefinition } from './instance';

/**
 * Entry point body of every service process: configuration from the
 * environment, start, and a clean stop on SIGTERM/SIGINT (HTTP closed,
 * consumers drained, pools closed).
 */
export async function runService(definition: ServiceDefinition): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  let instance: Awaited<ReturnType<typeof startInstance>>;
  try {
    instance = await startInstance(definition, config, logger);
  } catch (error) {
    logger.error('could not start', { service: definition.service, instance: config.INSTANCE_ID, error });
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { service: definition.service, instance: instance.instanceId, signal });
    await instance.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
