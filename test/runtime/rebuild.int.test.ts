import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../libraries/common/eventually';
import { patientsService } from '../../services/patients/service';
import { expectStatus, json, patientsClient, type PatientsClient } from '../support/clients';
import { startServicePair, type ServicePair } from '../support/service-pair';
import { admin, bearer, staff } from '../support/tokens';

/** The read model of patients instance-2 emptied and rebuilt from the history while registrations keep coming through instance-1. */
describe('rebuilding an instance’s read model under traffic', () => {
  let pair: ServicePair<PatientsClient>;

  beforeAll(async () => {
    pair = await startServicePair(patientsService, 'rebuild', [], patientsClient);
  });

  afterAll(async () => {
    await pair?.stop();
  });

  const register = async (client: PatientsClient, n: number) => {
    const created = await json(client.patients.$post({ json: { name: `Patient ${n}`, email: `${crypto.randomUUID()}@example.org` } }));
    expectStatus(created, 201);
    return created.body.id;
  };
  const viewOf = async (index: 0 | 1) =>
    (await pair.instances[index].databases.read.pool.query('SELECT id, name, email, status, version FROM patient_view ORDER BY id')).rows;

  it('mends a damaged read model: it ends equal to instance-1, answering reads with 503 meanwhile, only for the admin', async () => {
    for (let n = 0; n < 10; n++) await register(pair.one, n);
    const [, second] = pair.instances;
    await eventually(async () => expect(await viewOf(1)).toEqual(await viewOf(0)));
    // A bug damaged instance-2's read model: a name wrong, a row gone.
    const damaged = second.databases.read.pool;
    await damaged.query("UPDATE patient_view SET name = 'damaged by a bug' WHERE id = (SELECT id FROM patient_view ORDER BY id LIMIT 1)");
    await damaged.query('DELETE FROM patient_view WHERE id = (SELECT id FROM patient_view ORDER BY id DESC LIMIT 1)');
    expect(await viewOf(1)).not.toEqual(await viewOf(0));

    const rebuild = (caller = admin) =>
      bearer(caller).then((headers) => fetch(`${second.url}/admin/read-model/rebuild`, { method: 'POST', headers }));
    expect((await rebuild(staff)).status).toBe(403);

    // Traffic through instance-1 all along.
    let traffic = true;
    let sent = 10;
    const writes = (async () => {
      while (traffic) await register(pair.one, sent++);
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));

    const started = await rebuild();
    expect(started.status).toBe(202);
    const read = await fetch(`${second.url}/patients`, { headers: await bearer(staff) });
    expect(read.status, 'a read while the read model is rebuilt').toBe(503);
    expect((await rebuild()).status, 'a second rebuild while one runs').toBe(409);

    await eventually(
      async () => {
        const ready = await fetch(`${second.url}/ready`);
        expect(ready.status).toBe(200);
      },
      { timeoutMs: 30_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    traffic = false;
    await writes;

    await eventually(async () => {
      const [one, two] = [await viewOf(0), await viewOf(1)];
      expect(one.length).toBe(sent);
      expect(two).toEqual(one);
    });
  });
});
