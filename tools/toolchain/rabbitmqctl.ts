import { execFile } from 'node:child_process';

/**
 * Runs rabbitmqctl against the local node: `npm start` makes HAP's broker
 * users with it, the tests and the bench isolate themselves in vhosts of
 * their own. `input` goes to its stdin (definitions to import, passwords
 * that should not show in a process list).
 */
export function rabbitmqctl(...args: string[]): Promise<string> {
  return rabbitmqctlWithInput(undefined, ...args);
}

export function rabbitmqctlWithInput(input: string | undefined, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('rabbitmqctl', ['--quiet', ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as { code?: unknown }).code === 'ENOENT') {
        return reject(
          new Error(
            'rabbitmqctl is not on PATH: npm start (broker users), the tests and the bench (vhosts) need it, next to a local RabbitMQ',
            {
              cause: error,
            },
          ),
        );
      }
      reject(Object.assign(error, { stderr }));
    });
    child.stdin?.end(input ?? '');
  });
}
