/**
 * Start and stop a local Temporal dev server (`temporal server start-dev`, Temporal CLI 1.9.1) as a
 * child process, and wait until its frontend really answers gRPC calls.
 *
 * Why not TestWorkflowEnvironment.createLocal: its readiness wait (~5 s) is too short on a 2-core
 * machine, and it does not expose the Web UI / persistence / search attributes the way we want.
 */
import { spawn } from 'node:child_process';
import { getFreePort } from './free-port';
import { Connection } from '@temporalio/client';
import type { SearchAttributeTypeName } from '../../temporal.config';

export interface StartDevServerOptions {
  /** Absolute path of the `temporal` CLI (see ensureTemporalBinaries). */
  binary: string;
  /** Frontend gRPC port; a free port is picked when omitted. */
  port?: number;
  /** Web UI port; a free port is picked when omitted. Ignored when `headless`. */
  uiPort?: number;
  /** SQLite file to persist state in; in-memory (lost on stop) when omitted. */
  dbFile?: string;
  /** Namespace to create at launch and to wait for. `default` always exists. Default: `default`. */
  namespace?: string;
  /** Custom search attributes to register, e.g. `{ PatientId: 'Keyword' }`. Readiness waits for them. */
  searchAttributes?: Record<string, SearchAttributeTypeName>;
  /** How long to wait for the server to answer. Default 60 000 ms. */
  readyTimeoutMs?: number;
  /** Receives the server's output lines and lifecycle messages. Silent by default. */
  log?: (line: string) => void;
  /** Do not start the Web UI. Default false. */
  headless?: boolean;
  /** Extra `--sqlite-pragma` values (`name=value`); they override the defaults of devServerArgs. */
  sqlitePragmas?: string[];
  /** `--dynamic-config-value` values (`key=value`). */
  dynamicConfig?: string[];
}

export interface DevServer {
  /** `host:port` of the gRPC frontend, for Connection.connect / NativeConnection.connect. */
  address: string;
  /** Web UI URL, unless headless. */
  uiUrl?: string;
  pid: number;
  /** The arguments the binary was started with. */
  args: string[];
  /** SIGTERM, wait for exit, SIGKILL after 10 s. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const DEFAULT_READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const OUTPUT_TAIL_LINES = 60;
/** Attempts when an auto-picked port got taken between probing and the server binding it. */
const PORT_RACE_ATTEMPTS = 3;

/**
 * SQLite in a file runs in WAL mode: with the default rollback journal every
 * commit writes the journal and the database, and at 14 sagas/s the bench
 * (--temporal-db file) saw p99 2.1 s against 0.5 s with WAL. Commits still
 * sync, so nothing acknowledged is lost.
 */
const fileSqlitePragmas = ['journal_mode=wal'];

/**
 * One partition per task queue instead of four: on one node, four partitions
 * only spread the pollers thin, so a task often misses a waiting poller and is
 * forwarded. Measured with the bench at 5 sagas/s over three runs each: the
 * saga's p50 fell by about a quarter, Temporal's and the worker's CPU per saga
 * by a few percent (within what the machine's noise allows telling apart).
 */
export const singleNodeDynamicConfig = ['matching.numTaskqueueReadPartitions=1', 'matching.numTaskqueueWritePartitions=1'];

/** `name=value` defaults, but those whose name a given value sets, then the given values. */
function withDefaults(defaults: readonly string[], given: readonly string[] = [], normalise = (name: string) => name): string[] {
  const nameOf = (setting: string) => normalise(setting.split('=')[0]!.trim());
  const overridden = new Set(given.map(nameOf));
  return [...defaults.filter((setting) => !overridden.has(nameOf(setting))), ...given];
}

/** The exact argv passed to the `temporal` binary. Exported for tests and documentation. */
export function devServerArgs(o: {
  port: number;
  uiPort?: number;
  headless?: boolean;
  dbFile?: string;
  namespace?: string;
  searchAttributes?: Record<string, SearchAttributeTypeName>;
  sqlitePragmas?: string[];
  dynamicConfig?: string[];
}): string[] {
  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(o.port)];
  if (o.headless) {
    args.push('--headless');
  } else {
    // No internet here: keep the UI from trying to fetch its newsfeed.
    args.push('--ui-port', String(o.uiPort), '--ui-disable-news-fetch');
  }
  if (o.dbFile) args.push('--db-filename', o.dbFile);
  // SQLite pragma names are case-insensitive, dynamic config keys are not.
  for (const pragma of withDefaults(o.dbFile ? fileSqlitePragmas : [], o.sqlitePragmas, (name) => name.toLowerCase()))
    args.push('--sqlite-pragma', pragma);
  for (const value of withDefaults(singleNodeDynamicConfig, o.dynamicConfig)) args.push('--dynamic-config-value', value);
  if (o.namespace && o.namespace !== 'default') args.push('--namespace', o.namespace);
  for (const [name, type] of Object.entries(o.searchAttributes ?? {})) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  args.push('--log-level', 'warn', '--log-format', 'text');
  return args;
}

export async function startDevServer(opts: StartDevServerOptions): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      const portsWereAutoPicked = opts.port === undefined && (opts.headless || opts.uiPort === undefined);
      if (portsWereAutoPicked && err instanceof PortInUseError && attempt < PORT_RACE_ATTEMPTS) {
        opts.log?.(`[dev-server] port taken before the server could bind it, retrying with new ports`);
        continue;
      }
      throw err;
    }
  }
}

class PortInUseError extends Error {}

async function startOnce(opts: StartDevServerOptions): Promise<DevServer> {
  const log = opts.log ?? (() => {});
  const namespace = opts.namespace ?? 'default';
  const port = opts.port ?? (await getFreePort());
  let uiPort: number | undefined;
  if (!opts.headless) {
    uiPort = opts.uiPort;
    while (uiPort === undefined || uiPort === port) uiPort = await getFreePort();
  }
  const args = devServerArgs({
    port,
    uiPort,
    headless: opts.headless,
    dbFile: opts.dbFile,
    namespace,
    searchAttributes: opts.searchAttributes,
    sqlitePragmas: opts.sqlitePragmas,
    dynamicConfig: opts.dynamicConfig,
  });
  const address = `${HOST}:${port}`;
  const started = Date.now();
  log(`[dev-server] ${opts.binary} ${args.join(' ')}`);

  const child = spawn(opts.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
      log(`[dev-server] ${line}`);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  let exitInfo: string | undefined;
  const exited = new Promise<void>((resolve) => {
    // 'close' (not 'exit'): fires after stdout/stderr are drained, so the output tail is complete.
    child.on('close', (code, signal) => {
      exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    });
    child.on('error', (err) => {
      exitInfo = `spawn error: ${err.message}`;
      resolve();
    });
  });

  // Best effort: do not leave the server behind when this process exits normally or crashes.
  // (Nothing can run when the parent is SIGKILLed; the child then lingers until killed.)
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitInfo === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          log(`[dev-server] pid ${child.pid} still running ${STOP_GRACE_MS} ms after SIGTERM, sending SIGKILL`);
          child.kill('SIGKILL');
        }, STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', killOnExit);
      log(`[dev-server] stopped (${exitInfo})`);
    })();
    return stopping;
  };

  const failure = (why: string) => {
    const output = tail.length ? `\n--- last output of temporal server start-dev ---\n${tail.join('\n')}` : ' (no output)';
    const msg = `Temporal dev server at ${address} ${why}.\nCommand: ${opts.binary} ${args.join(' ')}${output}`;
    return /address already in use/i.test(tail.join('\n')) ? new PortInUseError(msg) : new Error(msg);
  };

  try {
    await waitUntilReady({
      address,
      namespace,
      searchAttributes: Object.keys(opts.searchAttributes ?? {}),
      timeoutMs: opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
      exited,
      hasExited: () => exitInfo !== undefined,
      onExit: () => failure(`exited before becoming ready (${exitInfo})`),
      onTimeout: (lastError) =>
        failure(
          `was not ready after ${opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS} ms` + (lastError ? ` (last error: ${lastError})` : ''),
        ),
    });
  } catch (err) {
    await stop();
    throw err;
  }

  const uiUrl = uiPort === undefined ? undefined : `http://${HOST}:${uiPort}`;
  log(`[dev-server] ready at ${address}${uiUrl ? `, UI ${uiUrl}` : ''} after ${Date.now() - started} ms (pid ${child.pid})`);
  return { address, uiUrl, pid: child.pid!, args, stop };
}

async function waitUntilReady(o: {
  address: string;
  namespace: string;
  searchAttributes: string[];
  timeoutMs: number;
  exited: Promise<void>;
  hasExited: () => boolean;
  onExit: () => Error;
  onTimeout: (lastError: string | undefined) => Error;
}): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  let lastError: string | undefined;
  while (!o.hasExited()) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw o.onTimeout(lastError);
    const perTry = Math.min(5_000, remaining);
    let connection: Connection | undefined;
    const attempt = (async () => {
      connection = await Connection.connect({ address: o.address, connectTimeout: perTry });
      await connection.withDeadline(Date.now() + perTry, async () => {
        await connection!.workflowService.getSystemInfo({});
        // The namespace (and its search attributes) are registered during start-up; wait for them too.
        await connection!.workflowService.describeNamespace({ namespace: o.namespace });
        if (o.searchAttributes.length) {
          const res = await connection!.operatorService.listSearchAttributes({ namespace: o.namespace });
          const missing = o.searchAttributes.filter((name) => !(name in (res.customAttributes ?? {})));
          if (missing.length) throw new Error(`search attributes not registered yet: ${missing.join(', ')}`);
        }
      });
      return true;
    })();
    try {
      // Stop waiting on a connection attempt as soon as the process dies (e.g. port already in use).
      if (await Promise.race([attempt, o.exited.then(() => false)])) return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    } finally {
      // Close whatever the attempt opened, even if it finishes after the process died.
      void attempt
        .then(
          () => connection?.close(),
          () => connection?.close(),
        )
        .catch(() => {});
    }
    await Promise.race([o.exited, new Promise((r) => setTimeout(r, 250))]);
  }
  throw o.onExit();
}
