import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { temporalConfig } from '../../config/temporal';
import { startDevServer, type DevServer } from '../../toolchain/dev-server';
import { ensureTemporalBinaries } from '../../toolchain/temporal-binaries';
import { processIsAlive } from './process-alive';

export interface BenchTemporalOptions {
  /** `file`: SQLite in a file, as `npm start` runs it; `memory`: nothing on disk. */
  storage: 'file' | 'memory';
  /** `--sqlite-pragma` values, e.g. `journal_mode=wal`. */
  sqlitePragmas: string[];
  /** `--dynamic-config-value` values, e.g. `history.cacheMaxSize=4096`. */
  dynamicConfig: string[];
  log: (line: string) => void;
}

export interface BenchTemporal {
  server: DevServer;
  /** The start-dev arguments, as run. */
  args: string[];
  stop(): Promise<void>;
}

const DIR_PREFIX = 'hapbench-temporal-';

/**
 * A throw-away headless Temporal dev server for one bench run, started with
 * the toolchain's startDevServer, so it runs as `npm start` runs it, plus
 * any SQLite pragmas and dynamic config being tried.
 */
export async function startBenchTemporal(options: BenchTemporalOptions): Promise<BenchTemporal> {
  const directory = await mkdtemp(path.join(os.tmpdir(), `${DIR_PREFIX}${process.pid}-`));
  try {
    const binaries = await ensureTemporalBinaries({ log: options.log });
    const server = await startDevServer({
      binary: binaries.temporal,
      headless: true,
      searchAttributes: temporalConfig.searchAttributes,
      readyTimeoutMs: 120_000,
      sqlitePragmas: options.sqlitePragmas,
      dynamicConfig: options.dynamicConfig,
      ...(options.storage === 'file' ? { dbFile: path.join(directory, 'temporal.sqlite') } : {}),
    });
    return {
      server,
      args: server.args,
      stop: async () => {
        await server.stop();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/** Removes the state directories of bench runs that died without cleaning up (their process is gone). */
export async function removeLeftoverTemporalDirs(log: (line: string) => void): Promise<void> {
  for (const entry of await readdir(os.tmpdir())) {
    const pid = new RegExp(`^${DIR_PREFIX}(\\d+)-`).exec(entry)?.[1];
    if (pid === undefined || processIsAlive(Number(pid))) continue;
    log(`removing ${entry} left by an earlier bench run`);
    await rm(path.join(os.tmpdir(), entry), { recursive: true, force: true });
  }
}
