import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The pid of the process listening on a local TCP port (via `ss`), when there is one. */
export async function pidListeningOn(port: number): Promise<number | undefined> {
  try {
    const { stdout } = await run('ss', ['-ltnpH', `sport = :${port}`]);
    const match = /pid=(\d+)/.exec(stdout);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
