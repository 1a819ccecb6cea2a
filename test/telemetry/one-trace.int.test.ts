import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayUrlsKey } from '../../libraries/config/services';
import { createGatewayApp } from '../../gateway/app';
import { serveHttp, type HttpServer } from '../../libraries/http/serve';
import { eventually } from '../../libraries/common/eventually';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { createTelemetry, type Telemetry } from '../../libraries/observability/telemetry';
import { expectStatus, gatewayClient, json, type GatewayClient } from '../support/clients';
import { sagaSystemFixture } from '../support/saga-system';
import { testVerifier } from '../support/tokens';

/**
 * Every part in this process with its own tracer (its own service.name), all
 * exporting to one in-memory exporter: a booking through the gateway is one
 * trace across HTTP, Temporal (client, workflow, activities), AMQP (direct
 * publishes and outbox rows) and the bridge's signal.
 */
describe('one trace per consultation', () => {
  const exporter = new InMemorySpanExporter();
  const telemetries: Telemetry[] = [];
  const telemetry = (serviceName: string) => {
    const made = createTelemetry({ settings: { enabled: true, protocol: 'http/json', serviceName }, instance: 'instance-1', exporter });
    telemetries.push(made);
    return made;
  };
  const hap = sagaSystemFixture('traces', { telemetry });
  let gateway: HttpServer;
  let client: GatewayClient;

  beforeAll(async () => {
    const config = hap.sandbox.config({
      [gatewayUrlsKey('patients')]: hap.system.urls.patients,
      [gatewayUrlsKey('physicians')]: hap.system.urls.physicians,
      [gatewayUrlsKey('records')]: hap.system.urls.records,
      [gatewayUrlsKey('scheduling')]: hap.system.urls.scheduling.join(','),
    });
    gateway = await serveHttp(createGatewayApp(config, silentLogger, await testVerifier(), telemetry('gateway')), 0, '127.0.0.1', 100);
    client = gatewayClient(`http://127.0.0.1:${gateway.port}`);
  });

  afterAll(async () => {
    await gateway?.close();
    await hap.close();
    await Promise.all(telemetries.map((made) => made.shutdown()));
  });

  it('holds spans from the gateway, scheduling, the worker, patients, physicians, the bridge and records', async () => {
    const patient = await json(client.patients.$post({ json: { name: 'Ana Lima', email: `ana.${crypto.randomUUID()}@example.org` } }));
    expectStatus(patient, 201);
    const physician = await json(client.physicians.$post({ json: { name: 'Dr. Rui Sá', specialty: 'cardiology' } }));
    expectStatus(physician, 201);
    exporter.reset();

    const booked = await json(
      client.consultations.$post({
        header: {},
        json: { patientId: patient.body.id, physicianId: physician.body.id, startsAt: '2032-03-01T09:00:00.000Z', durationMinutes: 30 },
      }),
    );
    expectStatus(booked, 202);
    const { consultationId } = booked.body;

    const booking = await eventually(() => {
      // The gateway relays a family of paths: its route is the family's.
      const root = exporter.getFinishedSpans().find((span) => span.name === 'POST /consultations/*' && serviceOf(span) === 'gateway');
      if (!root) throw new Error('the gateway span has not ended yet');
      return root;
    });
    const traceId = booking.spanContext().traceId;
    const inTrace = () => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);

    const expected = [
      'scheduling-service: POST /consultations',
      'scheduling-service: StartWorkflow:scheduleConsultation',
      'saga-worker: RunWorkflow:scheduleConsultation',
      'saga-worker: RunActivity:openConsultation',
      'saga-worker: publish consultation.scheduling.started',
      'patient-service: process patient-service.saga',
      'patient-service: publish patient.validation.succeeded',
      'physician-service: process physician-service.saga',
      'bridge: process scheduling-service.saga',
      'bridge: SignalWorkflow:PatientValidatedForConsultation',
      'saga-worker: HandleSignal:PatientValidatedForConsultation',
      'saga-worker: publish consultation.scheduled',
      'clinical-records: process clinical-records.saga',
    ];
    // The workflow's own span ends with the saga, and records take ConsultationScheduled after it.
    const names = await eventually(
      () => {
        const seen = inTrace().map((span) => `${serviceOf(span)}: ${span.name}`);
        const missing = expected.filter((name) => !seen.includes(name));
        if (missing.length > 0) throw new Error(`not in the trace yet: ${missing.join('; ')}`);
        return seen;
      },
      { timeoutMs: 30_000 },
    );
    expect(new Set(inTrace().map(serviceOf))).toEqual(
      new Set(['bridge', 'clinical-records', 'gateway', 'patient-service', 'physician-service', 'saga-worker', 'scheduling-service']),
    );
    expect(names.length).toBeGreaterThan(expected.length);
    // A trace is about ids and steps: no span carries a person's details.
    expect(JSON.stringify(inTrace().map((span) => span.attributes))).not.toContain('Ana Lima');
    // And it is this booking's: the saga it started is the consultation's.
    const started = inTrace().find((span) => span.name === 'StartWorkflow:scheduleConsultation');
    expect(String(started?.attributes.temporalWorkflowId)).toContain(consultationId);
  });
});

const serviceOf = (span: ReadableSpan) => String(span.resource.attributes['service.name']);
