import type { JsonHttpClient } from '../../harness/json-http';

/** Runs work(i) for i in 0..count-1 with at most `concurrency` at once; results in order. */
export async function mapConcurrently<T>(count: number, concurrency: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await work(index);
      }
    }),
  );
  return results;
}

async function create(client: JsonHttpClient, path: string, body: Record<string, string>): Promise<string> {
  const response = await client.post<{ id: string }>(path, body);
  if (response.status !== 201 || !response.body?.id)
    throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.id;
}

/** Fresh patients, registered through the gateway before a measured window. */
export function registerPatients(gateway: JsonHttpClient, count: number, label: string): Promise<string[]> {
  return mapConcurrently(count, 8, (i) =>
    create(gateway, '/patients', { name: `Bench Patient ${label}-${i}`, email: `bench-${label}-${i}-${crypto.randomUUID()}@example.org` }),
  );
}

/** Fresh physicians, registered through the gateway before a measured window. */
export function registerPhysicians(gateway: JsonHttpClient, count: number, label: string): Promise<string[]> {
  return mapConcurrently(count, 8, (i) => create(gateway, '/physicians', { name: `Dr. Bench ${label}-${i}`, specialty: 'benchmarking' }));
}

// Half a year ahead at 08:00 UTC: well inside the booking horizon (two years by default), never in the past during a run.
const firstSlot = (now = new Date()) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 6, now.getUTCDate(), 8);

/** A consultation's slot: 30 minutes, the k-th of its physician, so no two ever overlap. */
export function slotStartsAt(k: number): string {
  return new Date(firstSlot() + k * 30 * 60_000).toISOString();
}
