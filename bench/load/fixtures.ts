import type { JsonHttpClient } from './http';

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
  if (response.status !== 201 || !response.body?.id) throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.id;
}

/** Fresh patients, registered through the gateway before a measured window. */
export function registerPatients(gateway: JsonHttpClient, count: number, label: string): Promise<string[]> {
  return mapConcurrently(count, 8, (i) => create(gateway, '/patients', { name: `Bench Patient ${label}-${i}`, email: `bench-${label}-${i}-${crypto.randomUUID()}@example.org` }));
}

/** Fresh physicians, registered through the gateway before a measured window. */
export function registerPhysicians(gateway: JsonHttpClient, count: number, label: string): Promise<string[]> {
  return mapConcurrently(count, 8, (i) => create(gateway, '/physicians', { name: `Dr. Bench ${label}-${i}`, specialty: 'benchmarking' }));
}

/** A consultation's slot: far in the future, 30 minutes, the k-th of its physician, so no two ever overlap. */
export function slotStartsAt(k: number): string {
  return new Date(Date.UTC(2100, 0, 1, 8) + k * 30 * 60_000).toISOString();
}
