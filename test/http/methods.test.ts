import { describe, expect, it } from 'vitest';
import { createServiceApp } from '../../libraries/http/app';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { testVerifier } from '../support/tokens';
import { createMetrics } from '../../libraries/observability/metrics';
import { noTelemetry } from '../../libraries/observability/telemetry';

const verifier = await testVerifier();

describe('service instances refuse methods no route serves', () => {
  it('answers PROPFIND with 405, Allow and the error shape, on any path', async () => {
    const app = createServiceApp({
      tracer: noTelemetry('test').tracer,
      metrics: createMetrics({ service: 'methods-test', instance: 'instance-1' }),
      service: 'test',
      instance: 'instance-1',
      title: 't',
      description: 'd',
      logger: silentLogger,
      checks: [],
      verifier,
    });
    for (const path of ['/health', '/patients', '/nowhere']) {
      const response = await app.request(path, { method: 'PROPFIND' });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
    }
  });
});
