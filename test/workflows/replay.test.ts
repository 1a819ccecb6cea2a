import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const historiesDir = fileURLToPath(new URL('../fixtures/histories', import.meta.url));
const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

/**
 * Histories of real saga runs (recorded by test/sagas with
 * HAP_RECORD_HISTORIES=1) replayed against the current workflow code: a
 * change that would break running sagas fails here instead of in production.
 */
describe('workflow determinism: replaying recorded histories', async () => {
  const files = (await readdir(historiesDir)).filter((file) => file.endsWith('.json')).sort();

  it('has histories of both sagas to replay', () => {
    expect(files.some((file) => file.startsWith('schedule-'))).toBe(true);
    expect(files.some((file) => file.startsWith('cancel-'))).toBe(true);
  });

  it('replays every recorded history without a nondeterminism error', async () => {
    const histories = await Promise.all(
      files.map(async (file) => ({
        workflowId: file.replace(/\.json$/, ''),
        history: JSON.parse(await readFile(`${historiesDir}/${file}`, 'utf8')),
      })),
    );
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath, replayName: 'hap-replay' }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
