import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { temporalConfig } from '../../temporal.config';
import { startDevServer, type DevServer } from '../toolchain/dev-server';
import { ensureTemporalBinaries } from '../toolchain/temporal-binaries';
import type { IsolationKind } from './isolation';
import { processIsAlive } from './process-alive';

export interface RunTemporalOptions {
  kind: IsolationKind;
  /** `file`: SQLite in a file, as `npm start` runs it; `memory`: nothing on disk. */
  storage: 'file' | 'memory';
  /** `--sqlite-pragma` values, e.g. `journal_mode=wal`. */
  sqlitePragmas?: string[];
  /** `--dynamic-config-value` values, e.g. `history.cacheMaxSize=4096`. */
  dynamicConfig?: string[];
  log: (line: string) => void;
}

export interface RunTemporal {
  /** The server running now (a new one after restart()). */
  readonly server: DevServer;
  /** `host:port`, the same across restarts. */
  address: string;
  /** The start-dev arguments, as run. */
  args: string[];
  /** SIGKILL, as a crash would: nothing is flushed. */
  kill(): Promise<void>;
  /** Starts it again on the same port and state file, and waits until it answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const dirPrefix = (kind: IsolationKind) => `${kind}-temporal-`;

/**
 * A throw-away headless Temporal dev server for one run of a tool, started
 * with the toolchain's startDevServer, so it runs as `npm start` runs it,
 * plus any SQLite pragmas and dynamic config being tried.
 */
export async function startRunTemporal(options: RunTemporalOptions): Promise<RunTemporal> {
  const directory = await mkdtemp(path.join(os.tmpdir(), `${dirPrefix(options.kind)}${process.pid}-`));
  try {
    const binaries = await ensureTemporalBinaries({ log: options.log });
    const start = (port?: number) =>
      startDevServer({
        binary: binaries.temporal,
        headless: true,
        searchAttributes: temporalConfig.searchAttributes,
        readyTimeoutMs: 120_000,
        sqlitePragmas: options.sqlitePragmas ?? [],
        dynamicConfig: options.dynamicConfig ?? [],
        ...(port === undefined ? {} : { port }),
        ...(options.storage === 'file' ? { dbFile: path.join(directory, 'temporal.sqlite') } : {}),
      });
    let server = await start();
    const port = Number(server.address.split(':').at(-1));
    return {
      get server() {
        return server;
      },
      address: server.address,
      args: server.args,
      kill: async () => {
        try {
          process.kill(server.pid, 'SIGKILL');
        } catch (error) {
          // Gone already: the kill is done.
          if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
        }
        await server.stop();
      },
      restart: async () => {
        // Its port is free again only once the kernel lets go of it; an outgoing socket may also hold it for a moment.
        for (let attempt = 1; ; attempt++) {
          try {
            server = await start(port);
            return;
          } catch (error) {
            if (attempt >= 10) throw error;
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        }
      },
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

/** Removes the state directories of runs of this tool that died without cleaning up (their process is gone). */
export async function removeLeftoverTemporalDirs(kind: IsolationKind, log: (line: string) => void): Promise<void> {
  for (const entry of await readdir(os.tmpdir())) {
    const pid = new RegExp(`^${dirPrefix(kind)}(\\d+)-`).exec(entry)?.[1];
    if (pid === undefined || processIsAlive(Number(pid))) continue;
    log(`removing ${entry} left by an earlier ${kind} run`);
    await rm(path.join(os.tmpdir(), entry), { recursive: true, force: true });
  }
}
