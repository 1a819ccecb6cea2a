import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runChaos } from '../../tools/chaos/run';
import { loadConfig } from '../../libraries/config/env';
import { Cleanup } from '../../tools/harness/cleanup';
import { REPO_ROOT } from '../../tools/toolchain/temporal-binaries';

/**
 * The fault matrix in small (npm run chaos has all of it): the faults that
 * leave the shared RabbitMQ and PostgreSQL alone, under load, each repaired
 * and recovered from, then the whole accounting.
 */
describe('chaos: contained faults under load lose nothing', () => {
  it('an instance and the worker killed, the broker connections cut, an instance partitioned, duplicates and poison: every total is 0', async () => {
    const logDir = await mkdtemp(path.join(tmpdir(), 'hap-chaos-'));
    const lines: string[] = [];
    const cleanup = new Cleanup((line) => lines.push(line));
    try {
      const config = loadConfig({
        ...process.env,
        PG_URL: inject('pgUrl'),
        AMQP_URL: inject('amqpUrl'),
        AUTH_DEV_KEY_FILE: inject('authKeyFile'),
      });
      const result = await runChaos(
        {
          only: [
            'kill-scheduling-1',
            'kill-worker',
            'rabbitmq-connection-kill',
            'partition-records-2',
            'duplicate-burst',
            'poison-messages',
          ],
          skip: [],
          contained: true,
          windowS: 3,
          outageS: 3,
          longOutageS: 1,
          warmupS: 5,
          rate: 3,
          drainTimeoutS: 180,
          outDir: logDir,
        },
        { config, repoRoot: REPO_ROOT, logDir, cleanup, log: (line) => lines.push(line) },
      );
      const failed = result.scenarios.filter((scenario) => !scenario.ok);
      expect(failed, lines.join('\n')).toEqual([]);
      expect(result.scenarios.map((scenario) => scenario.name)).toHaveLength(6);
      expect(result.skipped).toEqual([]);
      const { accepted, ...losses } = result.totals;
      expect(accepted).toBeGreaterThan(30);
      expect(losses, JSON.stringify(result.findings, null, 2)).toEqual(Object.fromEntries(Object.keys(losses).map((key) => [key, 0])));
      expect(result.ok).toBe(true);
    } finally {
      await cleanup.run();
      await rm(logDir, { recursive: true, force: true });
    }
  }, 600_000);
});
