import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../libraries/config/env';
import { createGatewayApp } from '../../gateway/app';
import { serveHttp, type HttpServer } from '../../libraries/http/serve';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { bearer, staff, testVerifier } from '../support/tokens';
import { patientsService } from '../../services/patients/service';
import { patientsClient, type PatientsClient } from '../support/clients';
import { startServicePair, type ServicePair } from '../support/service-pair';
import { rawRequest } from './raw-http';
import { testHost } from '../support/loopback';
import { noTelemetry } from '../../libraries/observability/telemetry';

// The gateway in front of two real patients instances, the way curl reaches it.
describe('gateway in front of real patients instances', () => {
  let pair: ServicePair<PatientsClient>;
  let gateway: HttpServer;

  beforeAll(async () => {
    pair = await startServicePair(patientsService, 'gateway', [], patientsClient);
    const config = loadConfig({ GATEWAY_PATIENTS_URLS: pair.instances.map((instance) => instance.url).join(',') });
    gateway = await serveHttp(createGatewayApp(config, silentLogger, await testVerifier(), noTelemetry('gateway')), 0, testHost, 100);
  });

  afterAll(async () => {
    await gateway?.close();
    await pair?.stop();
  });

  it('registers a patient from a 2 KiB body sent with Expect: 100-continue, as curl sends it', async () => {
    const email = `expect.${Math.random().toString(36).slice(2)}@example.org`;
    // JSON allows the padding; it makes the body as large as curl's 100-continue threshold and more.
    // A raw socket, not a typed client: fetch refuses to send Expect, the header under test.
    const body = `{"name":"Ana Lima","email":"${email}"${' '.repeat(2048)}}`;
    const response = await rawRequest(
      gateway.port,
      'POST',
      '/patients',
      { ...(await bearer(staff)), 'content-type': 'application/json', expect: '100-continue' },
      body,
    );
    expect(response.status, response.body).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({ name: 'Ana Lima', email, status: 'ACTIVE' });
  });
});
