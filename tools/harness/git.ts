import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../toolchain/temporal-binaries';

const run = promisify(execFile);

export interface CodeVersion {
  commit: string;
  /** Files changed but not committed (the numbers are for the code as it was, not as committed). */
  dirty: string[];
}

/** The commit the measured code comes from, and what differs from it; undefined outside a git checkout. */
export async function codeVersion(): Promise<CodeVersion | undefined> {
  try {
    const { stdout: commit } = await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT });
    const { stdout: status } = await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT });
    return {
      commit: commit.trim(),
      dirty: status
        .split('\n')
        .map((line) => line.slice(3).trim())
        .filter(Boolean),
    };
  } catch {
    return undefined;
  }
}
