import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../support/eventually';
import { dropDatabases, testDbPrefix } from '../support/instances';
import { spawnService } from '../support/processes';
import { freePort, TcpProxy } from '../support/tcp-proxy';
import { createTestVhost, type TestVhost } from '../support/vhost';

/**
 * A process started while PostgreSQL is away waits for it, saying so once,
 * instead of exiting (which used to end in "not restarting after 5
 * restarts"); once the database is back it becomes ready on its own.
 */
describe('a process whose dependency is away waits for it', () => {
  let vhost: TestVhost;
  let prefix: string;
  let proxy: TcpProxy;
  let viaProxy: string;

  beforeAll(async () => {
    vhost = await createTestVhost('waits');
    prefix = testDbPrefix('waits');
    ({ proxy, url: viaProxy } = await TcpProxy.inFrontOf(inject('pgUrl'), 5432));
  });

  afterAll(async () => {
    await proxy?.close();
    await vhost?.remove();
    await dropDatabases(prefix);
  });

  it('waits for PostgreSQL with one log line, stays up, and is ready once it is back', async () => {
    await proxy.cut();
    const port = await freePort();
    const child = spawnService('services/patients/main.ts', {
      AMQP_URL: vhost.url,
      PG_URL: viaProxy,
      DB_PREFIX: prefix,
      PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      PG_POOL_MAX: '2',
    });
    try {
      await child.waitForLog(/waiting for a dependency/, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(child.process.exitCode).toBeNull();
      expect(child.output().match(/waiting for a dependency/g)).toHaveLength(1);

      await proxy.open();
      await eventually(
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/ready`);
          expect(response.status).toBe(200);
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      expect(child.output()).toMatch(/started after waiting/);
    } finally {
      await child.kill('SIGTERM');
    }
    expect(child.process.exitCode).toBe(0);
  }, 120_000);
});
