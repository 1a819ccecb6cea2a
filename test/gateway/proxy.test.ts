import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../libraries/config/env';
import { createGatewayApp } from '../../gateway/app';
import { forward, ForwardBuildError } from '../../gateway/forward';
import { UpstreamPool } from '../../gateway/upstream-pool';
import { serveHttp, type HttpServer } from '../../libraries/http/serve';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { bearer, staff, testVerifier } from '../support/tokens';
import { refusedUrl, testHost } from '../support/loopback';
import { answer, fakeUpstream, hang, reset, type FakeUpstream, type UpstreamBehaviour } from './fake-upstream';
import { rawRequest } from './raw-http';
import { noTelemetry } from '../../libraries/observability/telemetry';

// The gateway served for real (node:http in front of it), its patients instances fake ones.
describe('gateway as a reverse proxy', () => {
  const cleanups: (() => Promise<void>)[] = [];
  // The gateway checks the token before anything travels on; the fake instances do not care.
  let auth: Record<string, string>;
  beforeAll(async () => {
    auth = await bearer(staff);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function upstream(behaviour: UpstreamBehaviour): Promise<FakeUpstream> {
    const fake = await fakeUpstream(behaviour);
    cleanups.push(() => fake.close());
    return fake;
  }

  // A timeout long enough for a loaded machine where no instance hangs, short where one does.
  async function gateway(...urls: string[]): Promise<HttpServer> {
    return gatewayWithTimeout(5000, ...urls);
  }

  async function gatewayWithTimeout(timeoutMs: number, ...urls: string[]): Promise<HttpServer> {
    const config = loadConfig({ GATEWAY_PATIENTS_URLS: urls.join(','), GATEWAY_UPSTREAM_TIMEOUT_MS: String(timeoutMs) });
    const server = await serveHttp(createGatewayApp(config, silentLogger, await testVerifier(), noTelemetry('gateway')), 0, testHost, 100);
    cleanups.push(() => server.close());
    return server;
  }

  const created = answer(201, { id: 'p-1' });
  const json = { 'content-type': 'application/json' };
  const post = (server: HttpServer, headers: Record<string, string> = {}) =>
    rawRequest(server.port, 'POST', '/patients', { ...auth, ...json, ...headers }, '{"name":"Ana"}');

  it('passes a 2 KiB POST sent with Expect: 100-continue, without the Expect header', async () => {
    const instance = await upstream(created);
    const server = await gateway(instance.url);
    const body = JSON.stringify({ name: 'Ana', notes: 'x'.repeat(2048) });
    const response = await rawRequest(server.port, 'POST', '/patients', { ...auth, ...json, expect: '100-continue' }, body);
    expect(response.status).toBe(201);
    expect(instance.hits).toHaveLength(1);
    expect(instance.hits[0]!.body).toBe(body);
    expect(instance.hits[0]!.headers.expect).toBeUndefined();
  });

  it.each([
    ['times out', hang],
    ['drops the connection', reset],
  ])('does not re-send a POST whose instance %s, and says the outcome is unknown', async (_, behaviour) => {
    const first = await upstream(behaviour);
    const second = await upstream(created);
    const response = await post(await gatewayWithTimeout(1000, first.url, second.url));
    expect(response.status).toBe(503);
    const error = JSON.parse(response.body).error;
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.message).toMatch(/outcome is unknown.*Idempotency-Key/);
    expect(error.message).not.toMatch(/nothing was changed/);
    expect([first.hits.length, second.hits.length]).toEqual([1, 0]);
  });

  it('re-sends a POST to the next instance only when it carries an Idempotency-Key', async () => {
    const first = await upstream(hang);
    const second = await upstream(created);
    const server = await gatewayWithTimeout(1000, first.url, second.url);

    expect((await post(server)).status).toBe(503);
    expect(second.hits).toHaveLength(0);

    // The rotation starts the second request at the second instance; put the hanging one first again.
    const retried = await post(await gatewayWithTimeout(1000, first.url, second.url), { 'idempotency-key': 'k-1' });
    expect(retried.status).toBe(201);
    expect(second.hits.map((hit) => [hit.headers['idempotency-key'], hit.body])).toEqual([['k-1', '{"name":"Ana"}']]);
  });

  it('tries the next instance after a refused connect, but stops at the first one that may have received the POST', async () => {
    const down = refusedUrl();
    const live = await upstream(created);
    expect((await post(await gateway(down, live.url))).status).toBe(201);
    expect(live.hits).toHaveLength(1);

    const everyDown = JSON.parse((await post(await gateway(down, refusedUrl(40_001)))).body).error;
    expect(everyDown.message).toMatch(/nothing was changed/);

    const slow = await upstream(hang);
    const after = await upstream(created);
    const response = await post(await gatewayWithTimeout(1000, down, slow.url, after.url));
    expect(response.status).toBe(503);
    expect(JSON.parse(response.body).error.message).toMatch(/outcome is unknown/);
    expect([slow.hits.length, after.hits.length]).toEqual([1, 0]);
  });

  it("retries a GET after an instance's 503, and hands a POST that instance's 503 as it is", async () => {
    const unavailableBody = {
      error: { code: 'SERVICE_UNAVAILABLE', message: 'the database is unavailable; nothing was changed, try again' },
    };
    const unavailable = await upstream(answer(503, unavailableBody, { 'retry-after': '1' }));
    const live = await upstream(answer(200, { id: 'p-1' }));

    const read = await rawRequest((await gateway(unavailable.url, live.url)).port, 'GET', '/patients/p-1', auth);
    expect(read.status).toBe(200);
    expect(live.hits.map((hit) => hit.method)).toEqual(['GET']);

    const write = await post(await gateway(unavailable.url, live.url));
    expect(write.status).toBe(503);
    expect(JSON.parse(write.body)).toEqual(unavailableBody);
    expect(write.headers['retry-after']).toBe('1');
    expect(live.hits.map((hit) => hit.method)).toEqual(['GET']);
  });

  it('answers 405 with Allow for a method no route serves, without asking any instance', async () => {
    const instance = await upstream(answer(200, {}));
    const server = await gateway(instance.url);
    for (const [method, path] of [
      ['TRACE', '/patients'],
      ['TRACE', '/patients/p-1'],
      ['PROPFIND', '/patients'],
      ['TRACE', '/health'],
    ]) {
      const response = await rawRequest(server.port, method!, path!);
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
      expect(JSON.parse(response.body).error.code).toBe('METHOD_NOT_ALLOWED');
    }
    expect(instance.hits).toHaveLength(0);
  });

  it('keeps hop-by-hop headers on their own hop, both ways, and tells the instance who asked', async () => {
    const instance = await upstream(
      answer(200, { id: 'p-1' }, { connection: 'x-up', 'x-up': '1', 'keep-alive': 'timeout=99', 'proxy-foo': '1', 'x-kept': 'yes' }),
    );
    const server = await gateway(instance.url);
    const response = await rawRequest(server.port, 'GET', '/patients/p-1', {
      ...auth,
      connection: 'x-foo',
      'x-foo': '1',
      'keep-alive': 'timeout=7',
      te: 'trailers',
      'proxy-authorization': 'Basic eA==',
      'proxy-foo': '1',
      'x-end-to-end': 'yes',
      'x-forwarded-for': '203.0.113.7',
      'x-correlation-id': 'c-hop',
    });
    expect(response.status).toBe(200);

    const seen = instance.hits[0]!.headers;
    for (const name of ['x-foo', 'keep-alive', 'te', 'proxy-authorization', 'proxy-foo', 'expect'])
      expect(seen[name], name).toBeUndefined();
    expect(seen.connection ?? '').not.toMatch(/x-foo/);
    expect(seen['x-end-to-end']).toBe('yes');
    expect(seen['x-correlation-id']).toBe('c-hop');
    expect(seen['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-host']).toBe(`${testHost}:${server.port}`);

    expect(response.headers['x-up']).toBeUndefined();
    expect(response.headers['proxy-foo']).toBeUndefined();
    expect(response.headers.connection ?? '').not.toMatch(/x-up/);
    // Node's server speaks its own Keep-Alive to the client; the instance's must not leak through.
    expect(response.headers['keep-alive'] ?? '').not.toMatch(/99/);
    expect(response.headers['x-kept']).toBe('yes');
    expect(response.headers['x-correlation-id']).toBe('c-hop');
  });
});

describe('forward', () => {
  it('blames no instance when the request cannot even be built', async () => {
    const first = await fakeUpstream(answer(200, {}));
    try {
      const pool = new UpstreamPool('patients', [first.url, 'http://127.0.0.1:1']);
      // Expect, which fetch refuses: what the gateway used to pass on.
      const request = {
        method: 'POST',
        pathAndQuery: '/patients',
        headers: new Headers({ expect: '100-continue' }),
        body: new ArrayBuffer(2),
        correlationId: 'c',
      };
      await expect(forward(pool, request, 300, silentLogger)).rejects.toBeInstanceOf(ForwardBuildError);
      // Had the first instance been marked down, the next rotation would skip it for the second.
      expect(pool.candidates()).toEqual(['http://127.0.0.1:1', first.url]);
      expect(pool.candidates()).toEqual([first.url, 'http://127.0.0.1:1']);
    } finally {
      await first.close();
    }
  });
});
