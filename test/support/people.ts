import { expectStatus, json } from './clients';
import type { SystemClients } from './system';

/** A patient registered through the in-process system's patients instance, deactivated when asked; its id. */
export async function registerPatient(system: Pick<SystemClients, 'patients'>, name: string, active = true): Promise<string> {
  const created = await json(system.patients.patients.$post({ json: { name, email: `${crypto.randomUUID()}@example.org` } }));
  expectStatus(created, 201);
  if (!active) expectStatus(await json(system.patients.patients[':id'].deactivate.$post({ param: { id: created.body.id } })), 200);
  return created.body.id;
}

/** A physician registered through the in-process system's physicians instance; its id. */
export async function registerPhysician(system: Pick<SystemClients, 'physicians'>, name: string, specialty: string): Promise<string> {
  const created = await json(system.physicians.physicians.$post({ json: { name, specialty } }));
  expectStatus(created, 201);
  return created.body.id;
}
