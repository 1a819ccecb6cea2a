import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../libraries/config/env';
import { eventually } from '../../libraries/common/eventually';
import { createLogger } from '../../libraries/observability/logging/logger';
import { createTelemetry, telemetrySettings } from '../../libraries/observability/telemetry';

/** An OTLP/HTTP receiver: what arrives at /v1/traces, by content type. */
function otlpReceiver() {
  const received: { contentType: string; body: Buffer }[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces')
        received.push({ contentType: String(request.headers['content-type']), body: Buffer.concat(chunks) });
      response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/json' }).end('{}');
    });
  });
  return { server, received };
}

describe('telemetry settings (OpenTelemetry variables)', () => {
  it('is off without an endpoint or with OTEL_SDK_DISABLED, names the process unless OTEL_SERVICE_NAME does', () => {
    expect(telemetrySettings({}, 'bridge')).toEqual({ enabled: false, protocol: 'http/protobuf', serviceName: 'bridge' });
    const on = telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'bridge');
    expect(on).toEqual({ enabled: true, protocol: 'http/protobuf', tracesUrl: 'http://collector:4318/v1/traces', serviceName: 'bridge' });
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t/x', OTEL_SERVICE_NAME: 'edge' }, 'bridge')).toMatchObject({
      tracesUrl: 'http://t/x',
      serviceName: 'edge',
    });
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }, 'bridge').enabled).toBe(false);
  });

  it('refuses a protocol it cannot speak, naming the variable', () => {
    expect(() => telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'x')).toThrow(
      new ConfigError('OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported: use http/protobuf or http/json'),
    );
  });
});

describe('export to an OTLP/HTTP receiver', () => {
  const { server, received } = otlpReceiver();
  let endpoint: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['http/json', 'application/json'],
    ['http/protobuf', 'application/x-protobuf'],
  ] as const)('sends spans as %s, with the service name, and log lines carry their trace id', async (protocol, contentType) => {
    const settings = telemetrySettings(
      { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: protocol },
      `exporter-${protocol}`,
    );
    const telemetry = createTelemetry({ settings, instance: 'instance-1' });
    const lines: string[] = [];
    const logger = createLogger({ write: (_level, line) => lines.push(line) });
    const span = telemetry.tracer.startSpan('one step');
    context.with(trace.setSpan(context.active(), span), () => logger.info('inside'));
    logger.info('outside');
    span.end();
    await telemetry.shutdown();

    const arrived = await eventually(() => {
      const found = received.find((request) => request.contentType === contentType && request.body.includes(`exporter-${protocol}`));
      if (!found) throw new Error(`nothing arrived as ${contentType}`);
      return found;
    });
    expect(arrived.body.includes('one step')).toBe(true);
    const [inside, outside] = lines.map((line) => JSON.parse(line) as { traceId?: string });
    expect(inside?.traceId).toBe(span.spanContext().traceId);
    expect(outside?.traceId).toBeUndefined();
  });
});
