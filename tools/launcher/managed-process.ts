import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatLogLine } from './format';
import type { ProcessSpec } from './plan';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ManagedProcessOptions {
  /** Full log file of this process. */
  logFile: string;
  /** Where readable, prefixed lines go (the terminal); nothing when undefined. */
  echo?: ((line: string) => void) | undefined;
  /** Longest pause before restarting a process that died on its own; the pause doubles from 1 s up to it. */
  maxRestartDelayMs?: number;
  /** A process that ran this long before dying starts again from the shortest pause. */
  stableAfterMs?: number;
}

/**
 * One HAP process run by the launcher: output prefixed with its name and kept
 * in its log file, stopped with SIGTERM (SIGKILL if it does not go within
 * 15 s). One that dies on its own is restarted for as long as the launcher
 * runs, after a pause that doubles up to a cap: never given up on.
 */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private readonly log: WriteStream;
  private stopping = false;
  /** Set by kill(): the next exit was asked for, by whoever injects faults, and the one who killed restarts. */
  private killed: (() => void) | undefined;
  /** The pending restart of a process that died on its own. */
  private restartTimer: NodeJS.Timeout | undefined;
  private restarts = 0;
  private startedAt = 0;
  /** Exits the launcher did not ask for (crashes, kills from outside): a test asserts there were none. */
  readonly unexpectedExits: { at: Date; reason: string }[] = [];

  constructor(
    readonly spec: ProcessSpec,
    private readonly options: ManagedProcessOptions,
  ) {
    this.log = createWriteStream(options.logFile, { flags: 'a' });
  }

  /** Starts the process; nothing happens while it runs, or once stop() has been called. */
  start(): void {
    if (this.stopping || this.running) return;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = spawn(process.execPath, ['--import', 'tsx', this.spec.entry], {
      cwd: repoRoot,
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.startedAt = Date.now();
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream?.on('data', (chunk: Buffer) => {
        this.log.write(chunk);
        const lines = (pending + chunk.toString()).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) this.options.echo?.(`[${this.spec.name}] ${formatLogLine(line)}`);
      });
    }
    child.once('exit', (code, signal) => {
      if (this.killed) {
        this.killed();
        this.killed = undefined;
        return;
      }
      if (this.stopping) return;
      const reason = signal ? `signal ${signal}` : `code ${code}`;
      this.unexpectedExits.push({ at: new Date(), reason });
      if (Date.now() - this.startedAt >= (this.options.stableAfterMs ?? 60_000)) this.restarts = 0;
      const pause = Math.min(this.options.maxRestartDelayMs ?? 30_000, 1000 * 2 ** Math.min(this.restarts++, 10));
      this.options.echo?.(`[${this.spec.name}] exited (${reason}); restarting in ${pause / 1000} s (see ${this.options.logFile})`);
      this.restartTimer = setTimeout(() => this.start(), pause);
      this.restartTimer.unref();
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal without the intent to stop for good (tests use SIGKILL to simulate a crash). */
  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /**
   * Kills the process on purpose (a fault injected under test): the exit is
   * not counted as unexpected and the process is not restarted until
   * start() is called again. Resolves once it has exited.
   */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    // Dead already and waiting to be restarted: it stays down until start().
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    if (!this.running) return;
    const child = this.child!;
    const exited = new Promise<void>((resolve) => (this.killed = resolve));
    child.kill(signal);
    // A gentle signal not heeded within the grace time is followed by SIGKILL, as stop() does.
    const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && this.running) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}
