import amqplib from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerPrincipals, brokerUserName, type BrokerPrincipal } from '../../libraries/config/broker-principals';
import { serviceRegistry } from '../../libraries/config/services';
import { startBridge, type RunningBridge } from '../../bridge/start';
import { eventually } from '../../libraries/common/eventually';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { deadLetterHeaders } from '../../libraries/messaging/consumer';
import { encodeEvent } from '../../libraries/messaging/message';
import { dlqName, retryDelayHeader, retryExchange, sagaQueue } from '../../libraries/messaging/topology';
import type { RunningInstance } from '../../libraries/runtime/service-instance';
import { patientsService } from '../../services/patients/service';
import { rabbitmqctl } from '../../tools/toolchain/rabbitmqctl';
import { asPrincipal, principalUrl } from '../support/broker-logins';
import { expectStatus, json, patientsClient } from '../support/clients';
import { startTestInstance } from '../support/instances';
import { QueueProbe } from '../support/queue-probe';
import { createSandbox, type TestSandbox } from '../support/sandbox';
import { sampleEvent } from '../support/sample-events';
import { connectTestBroker } from '../support/test-broker';
import { noTelemetry } from '../../libraries/observability/telemetry';

/** What RabbitMQ answers a principal who tries something: 'ok', or the reply code and text it closed the channel with. */
async function attempt(url: string, action: (channel: amqplib.ConfirmChannel) => Promise<unknown>): Promise<string> {
  const connection = await amqplib.connect(url);
  connection.on('error', () => {});
  let closedWith = '';
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', (error: Error) => (closedWith = error.message));
    await action(channel);
    await channel.close();
    return 'ok';
  } catch (error) {
    return closedWith || (error as Error).message;
  } finally {
    await connection.close().catch(() => {});
  }
}

describe('least-privilege broker users (RabbitMQ access control, validated user_id)', () => {
  let sandbox: TestSandbox;
  let patients: RunningInstance;
  let bridge: RunningBridge;
  let probe: QueueProbe;
  const as = (principal: BrokerPrincipal) => principalUrl(sandbox.vhost.url, principal);

  beforeAll(async () => {
    sandbox = await createSandbox('broker-rights');
    const config = sandbox.sagaConfig('broker-rights');
    patients = await startTestInstance(patientsService, config, 'instance-1');
    const setup = await connectTestBroker(sandbox.vhost.url, 'rights-setup', {
      queues: [sagaQueue(serviceRegistry.scheduling.source)],
      retryDelaysMs: config.AMQP_RETRY_DELAYS_MS,
    });
    await setup.close();
    bridge = await startBridge(asPrincipal(config, 'bridge'), silentLogger, 0, noTelemetry('bridge'));
    probe = await QueueProbe.open(sandbox.vhost.url);
  });

  afterAll(async () => {
    await probe?.close();
    await bridge?.stop();
    await patients?.stop();
    await sandbox?.remove();
  });

  it('has one user per service and process kind, none of which may configure anything', async () => {
    const rows = (await rabbitmqctl('list_permissions', '-p', sandbox.vhost.name, '--no-table-headers'))
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    const configureOf = Object.fromEntries(rows.map(([user, configure]) => [user, configure]));
    for (const principal of brokerPrincipals) expect(configureOf[brokerUserName(sandbox.vhost.name, principal)], principal).toBe('^$');
  });

  it('refuses a service writing to another service’s exchange, routing keys it does not own, declaring, and reading others’ queues', async () => {
    const event = (type: Parameters<typeof sampleEvent>[0]) => encodeEvent(sampleEvent(type));
    const publish = (principal: BrokerPrincipal, message: ReturnType<typeof event>) => async (channel: amqplib.ConfirmChannel) => {
      channel.publish(message.exchange, message.routingKey, message.content, {
        ...message.options,
        userId: brokerUserName(sandbox.vhost.name, principal),
      });
      await channel.waitForConfirms();
    };
    expect(await attempt(as('records'), publish('records', event('PatientRegistered')))).toMatch(/ACCESS_REFUSED.*hap\.patients/);
    // Scheduling writes to its own exchange, but only its own routing keys: ConsultationScheduled is the saga worker's.
    expect(await attempt(as('scheduling'), publish('scheduling', event('ConsultationScheduled')))).toMatch(
      /ACCESS_REFUSED.*consultation\.scheduled/,
    );
    // Nor may anyone send in someone else's name: RabbitMQ checks user_id against the login.
    expect(await attempt(as('records'), publish('patients', event('ConsultationRecordCreated')))).toMatch(/PRECONDITION_FAILED.*user_id/);
    expect(await attempt(as('patients'), (channel) => channel.assertQueue('patient-service.evil'))).toMatch(/ACCESS_REFUSED/);
    expect(await attempt(as('patients'), (channel) => channel.consume('clinical-records.saga', () => {}))).toMatch(/ACCESS_REFUSED/);
    // Another service's dead letters are not its to read (they hold whole envelopes).
    expect(await attempt(as('patients'), (channel) => channel.get('clinical-records.saga.dlq'))).toMatch(/ACCESS_REFUSED/);
    // What it may do, it can: publish its events, look at its own dead letters (GET /admin/dlq).
    expect(await attempt(as('patients'), publish('patients', event('PatientRegistered')))).toBe('ok');
    expect(await attempt(as('patients'), (channel) => channel.get('patient-service.saga.dlq'))).toBe('ok');
  });

  /** A message slipped into a queue through the retry exchange, the one way in that is not a topic exchange. */
  const smuggle = (
    principal: BrokerPrincipal,
    queue: string,
    message: ReturnType<typeof encodeEvent>,
    headers: Record<string, string> = {},
  ) =>
    attempt(as(principal), async (channel) => {
      channel.publish(retryExchange, queue, message.content, {
        ...message.options,
        userId: brokerUserName(sandbox.vhost.name, principal),
        headers: { ...message.options.headers, [retryDelayHeader]: '200', ...headers },
      });
      await channel.waitForConfirms();
    });

  it('dead-letters a forged saga reply (unauthorized-publisher) instead of signalling the workflow', async () => {
    const queue = sagaQueue(serviceRegistry.scheduling.source).name;
    const reply = encodeEvent(sampleEvent('PatientValidatedForConsultation'), { sagaId: 'schedule-consultation-forged' });
    // Claiming to relay a patients message does not help: only the bridge's own copies may say so.
    expect(await smuggle('physicians', queue, reply, { 'hap-published-by': brokerUserName(sandbox.vhost.name, 'patients') })).toBe('ok');
    const [parked] = await probe.take(dlqName(queue), 1);
    expect(parked!.properties.headers?.[deadLetterHeaders.reason]).toBe('unauthorized-publisher');
    expect(String(parked!.properties.headers?.[deadLetterHeaders.error])).toContain(brokerUserName(sandbox.vhost.name, 'physicians'));
  });

  it('dead-letters a forged entity event before any read model applies it', async () => {
    const queue = `${serviceRegistry.patients.source}.instance-1.events`;
    const forged = sampleEvent('PatientRegistered', { patientId: crypto.randomUUID(), name: 'Forged Patient' });
    expect(await smuggle('records', queue, encodeEvent(forged))).toBe('ok');
    const [parked] = await probe.take(dlqName(queue), 1);
    expect(parked!.properties.headers?.[deadLetterHeaders.reason]).toBe('unauthorized-publisher');
    expect(JSON.parse(parked!.content.toString()).eventId).toBe(forged.eventId);
    const client = patientsClient(patients.url);
    await eventually(async () => expectStatus(await json(client.patients[':id'].$get({ param: { id: forged.payload.patientId } })), 404));
  });
});
