/**
 * Proves that a Temporal Worker running inside vitest executes a workflow (activity + signal) against a
 * real dev server, with the workflow bundled from TypeScript source that uses extensionless imports.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as activities from '../fixtures/activities/greet';
import { approveSignal } from '../fixtures/workflows/greet';
import { GREETING_PREFIX } from '../fixtures/workflows/greet-shared';

const workflowsPath = fileURLToPath(new URL('../fixtures/workflows/greet.ts', import.meta.url));

describe('Temporal worker inside vitest', () => {
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;

  beforeAll(async () => {
    // The suite's one dev server, started by test/global-setup.ts.
    const address = inject('temporalAddress');

    connection = await Connection.connect({ address });
    nativeConnection = await NativeConnection.connect({ address });
    client = new Client({ connection });
  }, 120_000);

  afterAll(async () => {
    await nativeConnection?.close();
    await connection?.close();
  }, 30_000);

  it('runs a workflow with one activity and one signal', async () => {
    const taskQueue = `greet-${randomUUID()}`;

    const t0 = performance.now();
    const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowsPath, activities });
    console.info(`[timing] Worker.create (incl. webpack bundling) took ${Math.round(performance.now() - t0)} ms`);

    const result = await worker.runUntil(async () => {
      const handle = await client.workflow.start('greet', {
        taskQueue,
        workflowId: `greet-${randomUUID()}`,
        args: ['Ada'],
      });
      await handle.signal(approveSignal, { by: 'Dr. Who' });
      return handle.result();
    });

    expect(result).toBe(`${GREETING_PREFIX}, Ada! (approved by Dr. Who)`);
  }, 120_000);
});
