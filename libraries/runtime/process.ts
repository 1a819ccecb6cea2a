import type { Logger } from '../observability/logging/logger';
import { ConfigError } from '../config/env';
import type { Telemetry } from '../observability/telemetry';

export interface RunProcessOptions {
  /** First pause between start attempts; it doubles up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Flushed after a clean stop, so the last spans are not lost with the process. */
  telemetry?: Pick<Telemetry, 'shutdown'>;
}

interface Running {
  stop(): Promise<void>;
}

/**
 * Runs a long-lived part (a service instance, the worker, the bridge, the
 * gateway) as a process. A start that fails because a dependency is away
 * (PostgreSQL, RabbitMQ, Temporal) is tried again with a capped backoff for
 * as long as it takes, saying once what it waits for and again when that
 * changes: a process started before its dependencies simply waits for them.
 * Only a configuration error ends it (exit 1). SIGTERM or SIGINT stop it
 * cleanly once, also while it waits, then exit 0.
 */
export async function runProcess(
  name: string,
  logger: Logger,
  start: () => Promise<Running>,
  options: RunProcessOptions = {},
): Promise<void> {
  let stopping = false;
  let running: Running | undefined;
  let wakeUp: (() => void) | undefined;

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${name} stopping`, { signal });
    wakeUp?.();
    if (!running) return; // still waiting: the start loop sees `stopping` and exits
    try {
      await running.stop();
      await options.telemetry?.shutdown().catch((error: unknown) => logger.warn(`${name} could not flush its traces`, { error }));
    } catch (error) {
      logger.error(`${name} did not stop cleanly`, { error });
      process.exit(1);
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  const firstDelay = options.retryDelayMs ?? 1000;
  const maxDelay = options.maxRetryDelayMs ?? 30_000;
  let delay = firstDelay;
  let waitingFor: string | undefined;
  for (let attempt = 1; !stopping; attempt++) {
    try {
      const started = await start();
      if (stopping) {
        await started.stop().catch(() => {});
        process.exit(0);
      }
      running = started;
      if (waitingFor) logger.info(`${name} started after waiting`, { attempts: attempt });
      return;
    } catch (error) {
      if (error instanceof ConfigError) {
        logger.error(`${name} cannot start: its configuration is invalid`, { error });
        process.exit(1);
      }
      const reason = (error as Error).message;
      if (reason !== waitingFor) logger.warn(`${name} is waiting for a dependency; it keeps trying`, { error, retryInMs: delay });
      waitingFor = reason;
    }
    if (stopping) break; // a signal came during the attempt: no sleep before going
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    delay = Math.min(maxDelay, delay * 2);
  }
  process.exit(0);
}
