import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatLogLine } from './format';
import type { ProcessSpec } from './plan';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface ManagedProcessOptions {
  /** Full log file of this process. */
  logFile: string;
  /** Where readable, prefixed lines go (the terminal); nothing when undefined. */
  echo?: ((line: string) => void) | undefined;
  /** Restarts after an unexpected exit, with a growing pause, before giving up. */
  maxRestarts?: number;
}

/**
 * One HAP process run by the launcher: output prefixed with its name and kept
 * in its log file, restarted if it dies on its own, stopped with SIGTERM
 * (SIGKILL if it does not go within 15 s).
 */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private readonly log: WriteStream;
  private stopping = false;
  private restarts = 0;

  constructor(
    readonly spec: ProcessSpec,
    private readonly options: ManagedProcessOptions,
  ) {
    this.log = createWriteStream(options.logFile, { flags: 'a' });
  }

  start(): void {
    const child = spawn(process.execPath, ['--import', 'tsx', this.spec.entry], {
      cwd: repoRoot,
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
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
      if (this.stopping) return;
      const maxRestarts = this.options.maxRestarts ?? 5;
      const reason = signal ? `signal ${signal}` : `code ${code}`;
      if (this.restarts >= maxRestarts) {
        this.options.echo?.(`[${this.spec.name}] exited (${reason}); not restarting after ${maxRestarts} restarts — see ${this.options.logFile}`);
        return;
      }
      const pause = 1000 * 2 ** this.restarts++;
      this.options.echo?.(`[${this.spec.name}] exited (${reason}); restarting in ${pause / 1000} s`);
      setTimeout(() => this.stopping || this.start(), pause).unref();
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

  async stop(): Promise<void> {
    this.stopping = true;
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
