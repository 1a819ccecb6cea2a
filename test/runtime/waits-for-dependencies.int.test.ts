import { serviceRegistry } from '../../libraries/config/services';
import { principalUrl } from '../support/broker-logins';
import { declareForInstance } from '../support/instances';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { eventually } from '../../libraries/common/eventually';
import { spawnService } from '../support/processes';
import { createSandbox, type TestSandbox } from '../support/sandbox';
import { freePort, TcpProxy } from '../support/tcp-proxy';

/**
 * A process started while PostgreSQL is away waits for it, saying so once,
 * instead of exiting (which used to end in "not restarting after 5
 * restarts"); once the database is back it becomes ready on its own.
 */
describe('a process whose dependency is away waits for it', () => {
  let sandbox: TestSandbox;
  let proxy: TcpProxy;
  let viaProxy: string;

  beforeAll(async () => {
    sandbox = await createSandbox('waits');
    ({ proxy, url: viaProxy } = await TcpProxy.inFrontOfPostgres());
  });

  afterAll(async () => {
    await proxy?.close();
    await sandbox?.remove();
  });

  it('waits for PostgreSQL with one log line, stays up, and is ready once it is back', async () => {
    await proxy.cut();
    const port = await freePort();
    await declareForInstance(sandbox.config(), serviceRegistry.patients.source, 'instance-1');
    const child = spawnService('services/patients/main.ts', {
      AMQP_URL: principalUrl(sandbox.vhost.url, 'patients'),
      AMQP_USER_PREFIX: sandbox.vhost.name,
      AMQP_RETRY_DELAYS_MS: sandbox.config().AMQP_RETRY_DELAYS_MS.join(','),
      AUTH_DEV_KEY_FILE: inject('authKeyFile'),
      PG_URL: viaProxy,
      DB_PREFIX: sandbox.prefix,
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
          const response = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined);
          expect(response?.status, child.output().slice(-2000)).toBe(200);
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
