import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedProcess } from '../../tools/launcher/managed-process';
import { eventually } from '../../libraries/common/eventually';

describe('launcher: a process that dies is restarted for as long as the launcher runs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hap-managed-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('restarts past any count, with a capped pause, and stops cleanly', async () => {
    const lines: string[] = [];
    const managed = new ManagedProcess(
      { name: 'flaky', entry: 'test/fixtures/processes/exits-at-once.ts', env: {}, url: 'http://127.0.0.1:1' },
      { logFile: path.join(dir, 'flaky.log'), echo: (line) => lines.push(line), maxRestartDelayMs: 50 },
    );
    managed.start();
    // The old launcher gave up after 5 restarts ("not restarting after 5 restarts").
    await eventually(() => expect(managed.unexpectedExits.length).toBeGreaterThanOrEqual(8), { timeoutMs: 45_000 });
    await managed.stop();
    expect(managed.unexpectedExits.every((exit) => exit.reason === 'code 3')).toBe(true);
    expect(lines.some((line) => /not restarting/.test(line))).toBe(false);
    expect(lines.at(-1)).toMatch(/restarting in 0\.05 s/);
  }, 60_000);

  it('a kill asked for is no crash: not counted, not restarted until started again', async () => {
    const managed = new ManagedProcess(
      { name: 'steady', entry: 'test/fixtures/processes/stays-up.ts', env: {}, url: 'http://127.0.0.1:1' },
      { logFile: path.join(dir, 'steady.log'), maxRestartDelayMs: 50 },
    );
    managed.start();
    await eventually(() => expect(managed.running).toBe(true));
    const firstPid = managed.pid;
    await managed.kill('SIGKILL');
    expect(managed.running).toBe(false);
    // Longer than the restart pause: a crash would have been restarted by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(managed.running).toBe(false);
    expect(managed.unexpectedExits).toEqual([]);
    managed.start();
    await eventually(() => expect(managed.running).toBe(true));
    expect(managed.pid).not.toBe(firstPid);
    // The same process killed from outside is a crash, and is restarted.
    process.kill(managed.pid!, 'SIGKILL');
    await eventually(() => expect(managed.unexpectedExits.map((exit) => exit.reason)).toEqual(['signal SIGKILL']));
    await eventually(() => expect(managed.running).toBe(true), { timeoutMs: 10_000 });
    await managed.stop();
  }, 30_000);
});
