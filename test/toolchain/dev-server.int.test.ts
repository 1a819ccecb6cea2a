/**
 * The dev server `npm start` runs keeps its state in a SQLite file in WAL
 * mode (a rollback journal made it the bottleneck), while extra pragmas from
 * the caller still win.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { devServerArgs, startDevServer } from '../../tools/toolchain/dev-server';

const pragmas = (args: string[]) => args.flatMap((arg, i) => (args[i - 1] === '--sqlite-pragma' ? [arg] : []));

describe('Temporal dev server settings', () => {
  it('puts a file-backed server in WAL mode, lets an explicit pragma override it, and leaves memory alone', () => {
    expect(pragmas(devServerArgs({ port: 1, headless: true, dbFile: '/tmp/t.sqlite' }))).toEqual(['journal_mode=wal']);
    expect(
      pragmas(
        devServerArgs({ port: 1, headless: true, dbFile: '/tmp/t.sqlite', sqlitePragmas: ['JOURNAL_MODE=delete', 'cache_size=-8000'] }),
      ),
    ).toEqual(['JOURNAL_MODE=delete', 'cache_size=-8000']);
    expect(pragmas(devServerArgs({ port: 1, headless: true }))).toEqual([]);
  });

  it('runs one partition per task queue unless told otherwise, and passes other dynamic config on', () => {
    const values = (args: string[]) => args.flatMap((arg, i) => (args[i - 1] === '--dynamic-config-value' ? [arg] : []));
    expect(values(devServerArgs({ port: 1, headless: true, dynamicConfig: ['limit.maxIDLength=255'] }))).toEqual([
      'matching.numTaskqueueReadPartitions=1',
      'matching.numTaskqueueWritePartitions=1',
      'limit.maxIDLength=255',
    ]);
    expect(values(devServerArgs({ port: 1, headless: true, dynamicConfig: ['matching.numTaskqueueReadPartitions=4'] }))).toEqual([
      'matching.numTaskqueueWritePartitions=1',
      'matching.numTaskqueueReadPartitions=4',
    ]);
  });

  it('runs a file-backed server with a write-ahead log next to its database', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'hap-dev-server-test-'));
    const dbFile = path.join(directory, 'temporal.sqlite');
    const server = await startDevServer({ binary: inject('temporalCliPath'), headless: true, dbFile, readyTimeoutMs: 120_000 });
    try {
      expect(server.args).toContain('journal_mode=wal');
      expect(existsSync(`${dbFile}-wal`)).toBe(true);
    } finally {
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    }
  }, 150_000);
});
