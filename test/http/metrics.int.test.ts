import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../libraries/common/eventually';
import { createRouter } from '../../libraries/http/app';
import { testServiceApp } from '../support/service-app';
import { expectStatus, json } from '../support/clients';
import { createSandbox, type TestSandbox } from '../support/sandbox';
import { startTestSystem, type TestSystem } from '../support/system';
import { admin, bearer, staff } from '../support/tokens';

/** One series' value from a Prometheus text exposition, by its labels (any order, others ignored). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const line = text
    .split('\n')
    .find((row) => row.startsWith(`${name}{`) && Object.entries(labels).every(([key, value]) => row.includes(`${key}="${value}"`)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('GET /metrics: Prometheus text, for the admin role', () => {
  it('counts requests by route template, never the raw path, and is refused without the admin role', async () => {
    const app = await testServiceApp('metrics-test');
    app.route(
      '/',
      createRouter().get('/things/:id', (c) => c.json({ id: c.req.param('id') })),
    );
    const id = crypto.randomUUID();
    expect((await app.request(`/things/${id}`, { headers: await bearer(staff) })).status).toBe(200);
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: await bearer(staff) })).status).toBe(403);
    const response = await app.request('/metrics', { headers: await bearer(admin) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(sample(text, 'hap_http_requests_total', { route: '/things/:id', method: 'GET', status: '200' })).toBe(1);
    expect(sample(text, 'hap_http_request_duration_seconds_count', { route: '/things/:id' })).toBe(1);
    expect(text).not.toContain(id);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('service="metrics-test"');
  });
});

describe('a service instance counts its deliveries and publishes', () => {
  let sandbox: TestSandbox;
  let system: TestSystem;
  beforeAll(async () => {
    sandbox = await createSandbox('metrics');
    system = await startTestSystem(sandbox.sagaConfig('metrics'), { worker: false, bridge: false });
  });
  afterAll(async () => {
    await system?.stop();
    await sandbox?.remove();
  });

  it('moves hap_messages_published_total and hap_messages_consumed_total{outcome="acked"} as a patient is registered', async () => {
    const scrape = async () => (await fetch(`${system.urls.patients}/metrics`, { headers: await bearer(admin) })).text();
    const consumed = (text: string) => sample(text, 'hap_messages_consumed_total', { outcome: 'acked' });
    const published = (text: string) => sample(text, 'hap_messages_published_total', { routing_key: 'patient.registered' });
    const before = await scrape();
    const created = await json(
      system.patients.patients.$post({ json: { name: 'Metric Patient', email: `${crypto.randomUUID()}@example.org` } }),
    );
    expectStatus(created, 201);
    await eventually(async () => {
      const after = await scrape();
      expect(published(after)).toBe(published(before) + 1);
      expect(consumed(after)).toBeGreaterThan(consumed(before));
      expect(sample(after, 'hap_http_requests_total', { route: '/patients', method: 'POST', status: '201' })).toBeGreaterThanOrEqual(1);
    });
  });
});
