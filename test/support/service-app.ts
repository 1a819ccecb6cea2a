import { createServiceApp } from '../../libraries/http/app';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { createMetrics } from '../../libraries/observability/metrics';
import { noTelemetry } from '../../libraries/observability/telemetry';
import { testVerifier } from './tokens';

/** The HTTP frame of a service instance with no routes of its own, trusting the run's tokens: for tests of the frame itself. */
export async function testServiceApp(service: string, title = 't') {
  return createServiceApp({
    tracer: noTelemetry('test').tracer,
    metrics: createMetrics({ service, instance: 'instance-1' }),
    service,
    instance: 'instance-1',
    title,
    description: 'd',
    logger: silentLogger,
    checks: [],
    verifier: await testVerifier(),
  });
}
