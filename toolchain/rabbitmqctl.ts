import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs rabbitmqctl against the local node: the tests and the bench use it to
 * isolate themselves in vhosts of their own, next to a local RabbitMQ.
 */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('rabbitmqctl', ['--quiet', ...args], { timeout: 60_000 });
    return stdout;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new Error('rabbitmqctl is not on PATH: the tests and the bench need it, next to a local RabbitMQ, to make their own vhosts', {
        cause: error,
      });
    }
    throw error;
  }
}
