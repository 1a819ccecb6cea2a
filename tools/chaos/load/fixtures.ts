import type { JsonHttpClient } from '../../harness/json-http';

export interface Fixtures {
  patients: string[];
  inactivePatients: string[];
  physicians: string[];
  /** The canary's own patient and physician, whom the load never books. */
  canary: { patientId: string; physicianId: string };
}

async function created(client: JsonHttpClient, path: string, body: Record<string, string>): Promise<string> {
  const response = await client.post<{ id: string }>(path, body);
  if (response.status !== 201 || !response.body?.id)
    throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.id;
}

/** The people the load works with, made before any fault: patients (some deactivated, to be refused) and physicians. */
export async function makeFixtures(
  gateway: JsonHttpClient,
  label: string,
  counts = { patients: 30, inactive: 4, physicians: 8 },
): Promise<Fixtures> {
  const patients: string[] = [];
  for (let i = 0; i < counts.patients + counts.inactive; i++) {
    patients.push(await created(gateway, '/patients', { name: `Chaos Patient ${i}`, email: `chaos-${label}-${i}@example.org` }));
  }
  const inactivePatients = patients.splice(counts.patients);
  for (const id of inactivePatients) {
    const response = await gateway.post(`/patients/${id}/deactivate`);
    if (response.status !== 200) throw new Error(`deactivating patient ${id} answered ${response.status}`);
  }
  const physicians: string[] = [];
  for (let i = 0; i < counts.physicians; i++)
    physicians.push(await created(gateway, '/physicians', { name: `Dr. Chaos ${i}`, specialty: 'resilience' }));
  const canary = {
    patientId: await created(gateway, '/patients', { name: 'Chaos Canary', email: `chaos-${label}-canary@example.org` }),
    physicianId: await created(gateway, '/physicians', { name: 'Dr. Canary', specialty: 'recovery' }),
  };
  return { patients, inactivePatients, physicians, canary };
}

// A year ahead at 08:00 UTC: inside the booking horizon, never in the past during a run.
const firstSlot = Date.UTC(new Date().getUTCFullYear() + 1, new Date().getUTCMonth(), 1, 8);

/** The k-th 30-minute slot: one k per booking keeps a physician's bookings apart, a repeated k makes a clash on purpose. */
export const slotStartsAt = (k: number) => new Date(firstSlot + k * 30 * 60_000).toISOString();
