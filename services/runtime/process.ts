import type { Logger } from '../../logging/logger';

/**
 * Runs a long-lived part (a service instance, the worker, the bridge) as a
 * process: a failed start exits 1 with the reason; SIGTERM or SIGINT stop it
 * cleanly once, then exit 0.
 */
export async function runProcess(name: string, logger: Logger, start: () => Promise<{ stop(): Promise<void> }>): Promise<void> {
  let running: { stop(): Promise<void> };
  try {
    running = await start();
  } catch (error) {
    logger.error(`${name} could not start`, { error });
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${name} stopping`, { signal });
    try {
      await running.stop();
    } catch (error) {
      logger.error(`${name} did not stop cleanly`, { error });
      process.exit(1);
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
