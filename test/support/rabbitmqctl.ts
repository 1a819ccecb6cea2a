import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs rabbitmqctl against the local node; the test suite uses it to isolate itself in vhosts. */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('rabbitmqctl', ['--quiet', ...args], { timeout: 60_000 });
    return stdout;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') {
      throw new Error('rabbitmqctl is not on PATH: the tests need it, next to a local RabbitMQ, to create their own vhosts', {
        cause: error,
      });
    }
    throw error;
  }
}
