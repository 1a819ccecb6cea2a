import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TemporalClient } from '../../libraries/runtime/temporal-client';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { startPeriodicJobs } from '../../libraries/common/periodic';
import { cancellationReconcilerJob, reconcileCancellations } from '../../services/scheduling/cancellation-reconciler';
import { consultationRoutes } from '../../services/scheduling/routes';
import { sagaClient } from '../../services/scheduling/saga-client';
import { schedulingService } from '../../services/scheduling/service';
import { consultations } from '../../services/scheduling/consultations/schema';
import { sagaId } from '../../workflows/definitions';
import { expectStatus, json, schedulingClient, type SchedulingClient } from '../support/clients';
import { insertScheduledConsultation } from '../support/consultations';
import { eventually } from '../../libraries/common/eventually';
import { startServicePair, type ServicePair } from '../support/service-pair';

/**
 * Cancelling commits the mark first and starts saga 2 after; when that start
 * fails (Temporal unreachable) the request is still answered 202 and the
 * reconciler starts the saga later, treating an already-started one as done.
 */
describe('cancellation reconciler', () => {
  let pair: ServicePair<SchedulingClient>;
  let unreachable: Connection;
  let temporal: Connection;
  let client: Client;
  const taskQueue = `reconciler-${crypto.randomUUID()}`; // no worker polls it: started sagas just wait

  beforeAll(async () => {
    // A Temporal gateway pointed at a port nothing listens on: every start fails (gRPC UNAVAILABLE).
    unreachable = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
    const failing = sagaClient(new Client({ connection: unreachable }), taskQueue);
    const definition = schedulingService({ client: {} as Client, check: async () => {} } as unknown as TemporalClient, taskQueue);
    pair = await startServicePair(
      { ...definition, checks: [], routes: (context) => consultationRoutes(failing, context) },
      'reconciler',
      [],
      schedulingClient,
    );
    temporal = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection: temporal });
  });
  afterAll(async () => {
    await pair?.stop();
    await unreachable?.close();
    await temporal?.close();
  });

  const write = () => pair.instances[0].databases.write.db;
  const scheduled = () => insertScheduledConsultation(write());
  const status = async (id: string) => (await write().select().from(consultations).where(eq(consultations.id, id)))[0]!.status;
  const sagaExists = async (id: string) =>
    client.workflow
      .getHandle(sagaId('cancel', id))
      .describe()
      .then(
        () => true,
        () => false,
      );

  it('answers 202 and keeps the mark when the saga cannot start; a pass then starts it, and the next finds it started', async () => {
    const id = await scheduled();
    const cancel = await json(pair.one.consultations[':id'].cancel.$post({ param: { id }, json: { reason: 'travel' } }));
    expectStatus(cancel, 202);
    expect(cancel.body).toEqual({ consultationId: id, sagaId: sagaId('cancel', id), status: 'CANCELLATION_REQUESTED' });
    expect(await status(id)).toBe('CANCELLATION_REQUESTED');
    expect(await sagaExists(id)).toBe(false);

    const options = { db: write(), sagas: sagaClient(client, taskQueue), logger: silentLogger, minAgeMs: 0 };
    // Too young: left to the request that marked it.
    expect((await reconcileCancellations({ ...options, minAgeMs: 60_000 })).started).not.toContain(id);
    expect((await reconcileCancellations(options)).started).toContain(id);
    expect(await sagaExists(id)).toBe(true);
    // Already started counts as done: nothing started twice, nothing thrown.
    expect((await reconcileCancellations(options)).started).not.toContain(id);
    await client.workflow.getHandle(sagaId('cancel', id)).terminate('test over');
    await write().update(consultations).set({ status: 'CANCELLED' }).where(eq(consultations.id, id));
  });

  it('pages on: rows that stay CANCELLATION_REQUESTED never starve a newer one', async () => {
    const ids = [await scheduled(), await scheduled(), await scheduled()];
    for (const id of ids) await write().update(consultations).set({ status: 'CANCELLATION_REQUESTED' }).where(eq(consultations.id, id));
    const seen: string[] = [];
    const recording = {
      startCancellation: async (input: { consultationId: string }) => (seen.push(input.consultationId), { sagaId: 'x', started: false }),
    };
    const options = { db: write(), sagas: recording, logger: silentLogger, minAgeMs: 0, batchSize: 1 };
    let cursor = (await reconcileCancellations(options)).next;
    for (let pass = 0; pass < 5 && !ids.every((id) => seen.includes(id)); pass++)
      cursor = (await reconcileCancellations(options, new Date(), cursor)).next;
    expect(ids.every((id) => seen.includes(id))).toBe(true);
    for (const id of ids) await write().update(consultations).set({ status: 'CANCELLED' }).where(eq(consultations.id, id));
  });

  it('keeps trying while Temporal stays unreachable, and the periodic job picks the row up once it answers', async () => {
    const id = await scheduled();
    expect((await json(pair.two.consultations[':id'].cancel.$post({ param: { id }, json: {} }))).status).toBe(202);
    // Still down (an injected starter, to skip the client's own retries): nothing started, nothing thrown.
    const failing = {
      startCancellation: () => Promise.reject(Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 })),
    };
    expect((await reconcileCancellations({ db: write(), sagas: failing, logger: silentLogger, minAgeMs: 0 })).started).toEqual([]);

    const job = startPeriodicJobs(
      [
        cancellationReconcilerJob({
          db: write(),
          sagas: sagaClient(client, taskQueue),
          logger: silentLogger,
          intervalMs: 100,
          minAgeMs: 200,
        }),
      ],
      silentLogger,
    );
    try {
      await eventually(async () => expect(await sagaExists(id)).toBe(true));
    } finally {
      await job.stop();
    }
    await client.workflow.getHandle(sagaId('cancel', id)).terminate('test over');
  });
});
