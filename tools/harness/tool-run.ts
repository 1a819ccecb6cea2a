import { devToken } from '../../libraries/auth/dev-issuer';
import type { Config } from '../../libraries/config/env';
import { Cleanup } from './cleanup';
import type { Isolation } from './isolation';

/** A file-name-safe timestamp of a run's start: 2026-12-02T18-21-41Z. */
export const runStamp = (date = new Date()) =>
  date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');

/** The configuration of a system launched in the isolation: its vhost and users, databases, task queue. */
export const isolatedConfig = (config: Config, isolation: Isolation): Config => ({
  ...config,
  AMQP_URL: isolation.amqpUrl,
  AMQP_USER_PREFIX: isolation.name,
  DB_PREFIX: isolation.dbPrefix,
  TEMPORAL_TASK_QUEUE: `${isolation.name}-sagas`,
});

/** A front desk's token (staff: books and reads) from the development issuer the launched system trusts. */
export async function staffToken(config: Config, subject: string): Promise<string> {
  return devToken(config, { role: 'staff', subject, expiresInSeconds: 86_400 });
}

/**
 * Runs a tool's main with a cleanup that also runs on Ctrl-C, reports a
 * failure, always cleans up, and exits: everything is stopped by then, so a
 * stray handle (a late HTTP socket, the Temporal runtime) must not keep the
 * process alive.
 */
export async function runTool(name: string, log: (line: string) => void, main: (cleanup: Cleanup) => Promise<number>): Promise<never> {
  const cleanup = new Cleanup(log);
  cleanup.onSignals();
  const started = Date.now();
  try {
    process.exitCode = await main(cleanup);
  } catch (error) {
    console.error(`✗ ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  } finally {
    log('cleaning up');
    await cleanup.run();
    log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  process.exit();
}
