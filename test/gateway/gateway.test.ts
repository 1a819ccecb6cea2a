import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../libraries/config/env';
import { createGatewayApp } from '../../gateway/app';
import { UpstreamPool } from '../../gateway/upstream-pool';
import { gatewayUrlsKey, serviceNames } from '../../libraries/config/services';
import { serveHttp, type HttpServer } from '../../libraries/http/serve';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { bearer, staff, testVerifier } from '../support/tokens';
import { refusedUrl, testHost } from '../support/loopback';
import { noTelemetry } from '../../libraries/observability/telemetry';

describe('UpstreamPool', () => {
  it('takes instances in turn and skips one marked down until its cooldown ends', () => {
    let now = 0;
    const pool = new UpstreamPool('patients', ['a', 'b'], 1000, () => now);
    expect([pool.candidates()[0], pool.candidates()[0], pool.candidates()[0]]).toEqual(['a', 'b', 'a']);
    pool.markDown('a');
    expect(pool.candidates()).toEqual(['b', 'a']);
    expect(pool.candidates()).toEqual(['b', 'a']);
    now = 1001;
    expect([pool.candidates()[0], pool.candidates()[0]].sort()).toEqual(['a', 'b']);
  });
});

describe('gateway (app.request, upstreams are small HTTP servers)', () => {
  const seen: { instance: string; correlationId: string | undefined; body: string }[] = [];
  let healthy: HttpServer;
  let unavailable: HttpServer;

  function upstream(instance: string, status: 200 | 503) {
    return new Hono()
      .get('/health', (c) => c.json({ status: 'ok' }))
      .get('/ready', (c) => c.json({ status: 'ready' }))
      .all('/patients/*', async (c) => {
        seen.push({ instance, correlationId: c.req.header('x-correlation-id'), body: await c.req.text() });
        return c.json({ instance, path: c.req.path, query: c.req.query('q') ?? null }, status);
      });
  }

  beforeAll(async () => {
    healthy = await serveHttp(upstream('healthy', 200), 0, testHost);
    unavailable = await serveHttp(upstream('unavailable', 503), 0, testHost);
  });

  afterAll(async () => {
    await healthy?.close();
    await unavailable?.close();
  });

  const urlOf = (server: HttpServer) => `http://${testHost}:${server.port}`;
  const gatewayFor = async (...urls: string[]) =>
    createGatewayApp(loadConfig({ GATEWAY_PATIENTS_URLS: urls.join(',') }), silentLogger, await testVerifier(), noTelemetry('gateway'));

  it('answers a repeatable request through a live instance when another is down or unavailable, keeping path, query, body and correlation id', async () => {
    const app = await gatewayFor(refusedUrl(), urlOf(unavailable), urlOf(healthy));
    for (let i = 0; i < 3; i++) {
      const response = await app.request('/patients/42?q=x', {
        method: 'POST',
        body: '{"name":"Ana"}',
        headers: {
          ...(await bearer(staff)),
          'content-type': 'application/json',
          'X-Correlation-Id': `c-${i}`,
          'Idempotency-Key': `k-${i}`,
        },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-correlation-id')).toBe(`c-${i}`);
      expect(await response.json()).toEqual({ instance: 'healthy', path: '/patients/42', query: 'x' });
    }
    expect(seen.filter((request) => request.instance === 'healthy').map((request) => [request.correlationId, request.body])).toEqual([
      ['c-0', '{"name":"Ana"}'],
      ['c-1', '{"name":"Ana"}'],
      ['c-2', '{"name":"Ana"}'],
    ]);
  });

  it('does not re-send a PATCH even with an Idempotency-Key: only POST routes honour the key', async () => {
    const app = await gatewayFor(urlOf(unavailable), urlOf(healthy));
    const before = seen.length;
    const response = await app.request('/patients/7', {
      method: 'PATCH',
      body: '{"name":"Bia"}',
      headers: { ...(await bearer(staff)), 'content-type': 'application/json', 'Idempotency-Key': 'patch-key' },
    });
    expect(response.status).toBe(503);
    expect(seen.slice(before).map((request) => request.instance)).toEqual(['unavailable']);
  });

  it('answers 503 in the API shape when no instance can, and is not ready', async () => {
    const app = await gatewayFor(refusedUrl());
    const response = await app.request('/patients/1', { headers: await bearer(staff) });
    expect(response.status).toBe(503);
    expect(((await response.json()) as any).error.code).toBe('SERVICE_UNAVAILABLE');
    expect((await app.request('/ready')).status).toBe(503);
    expect((await app.request('/health')).status).toBe(200);
  });

  it('is ready only once every service has a live instance and the worker and the bridge are ready', async () => {
    const everyService = Object.fromEntries(serviceNames.map((name) => [gatewayUrlsKey(name), urlOf(healthy)]));
    const gateway = async (sagaUrls: string) =>
      createGatewayApp(
        loadConfig({ ...everyService, GATEWAY_SAGA_URLS: sagaUrls }),
        silentLogger,
        await testVerifier(),
        noTelemetry('gateway'),
      );
    const waiting = await (await gateway(`${urlOf(healthy)},${refusedUrl()}`)).request('/ready');
    expect(waiting.status).toBe(503);
    expect(((await waiting.json()) as { checks: Record<string, string> }).checks.sagas).toMatch(/not ready: http:\/\/127\.0\.0\.3/);
    expect((await (await gateway(`${urlOf(healthy)},${urlOf(healthy)}`)).request('/ready')).status).toBe(200);
  });

  it('answers 404 for paths no service owns', async () => {
    expect((await (await gatewayFor(urlOf(healthy))).request('/billing', { headers: await bearer(staff) })).status).toBe(404);
  });

  it('serves its API docs page and the assets it names itself, with no upstream involved', async () => {
    const app = await gatewayFor(refusedUrl());
    const page = await (await app.request('/docs')).text();
    const script = /src="([^"]+)"/.exec(page)?.[1];
    expect(script).toBe('/docs/assets/swagger-ui-dist/swagger-ui-bundle.js');
    expect((await app.request(script!)).status).toBe(200);
  });
});
