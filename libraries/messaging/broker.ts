import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import amqp, { type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import amqplib, { type Channel, type ConfirmChannel } from 'amqplib';
import { withTimeout } from '../common/with-timeout';
import type { Logger } from '../observability/logging/logger';
import type { Metrics } from '../observability/metrics';
import { contextFromHeaders, traceHeaders } from '../observability/telemetry';
import type { OutgoingMessage } from './message';
import { checkTopology, declareTopology, TopologyMissingError, type Topology } from './topology';

export interface BrokerOptions {
  /** amqp://user:pass@host:port/vhost */
  url: string;
  /** Shown in the broker's connection list. */
  connectionName: string;
  /** What this process uses: checked to exist (HAP processes configure nothing), or declared with `declare` (the setup user). */
  topology: Topology;
  declare?: boolean;
  logger: Logger;
  /** How long a publish may wait for its confirm, reconnections included. */
  publishTimeoutMs?: number;
  /** How long connect() waits for the first connection before giving up. */
  connectTimeoutMs?: number;
  heartbeatSeconds?: number;
  /** Where each confirmed publish is counted (hap_messages_published_total). */
  metrics?: Pick<Metrics, 'messagesPublished'>;
  /** A producer span per publish; its context goes out as the message's traceparent header. */
  tracer?: Tracer;
}

/** Publishes raw messages and resolves once the broker confirms them. */
export interface ConfirmedPublisher {
  publish(message: OutgoingMessage): Promise<void>;
}

export class BrokerUnavailableError extends Error {}

/**
 * One connection to RabbitMQ that survives broker restarts and force-closed
 * connections: it reconnects and re-runs every channel's setup (consumers
 * included), without a process restart. Every message it publishes carries
 * the login as its AMQP user_id, which RabbitMQ validates: consumers know
 * who sent it.
 */
export class Broker implements ConfirmedPublisher {
  private connectCount = 0;

  private constructor(
    private readonly connection: AmqpConnectionManager,
    private readonly publishChannel: ChannelWrapper,
    private readonly logger: Logger,
    /** The broker user this connection logs in as. */
    readonly user: string,
    private readonly metrics?: Pick<Metrics, 'messagesPublished'>,
    private readonly tracer: Tracer = trace.getTracer('hap'),
  ) {
    connection.on('connect', () => (this.connectCount += 1));
    if (connection.isConnected()) this.connectCount = 1;
  }

  static async connect(options: BrokerOptions): Promise<Broker> {
    const logger = options.logger.child({ component: 'broker' });
    const timeoutMs = options.connectTimeoutMs ?? 15_000;
    // Before anything else: a topology that is not there yet is a dependency away, not a reason to declare it.
    if (!options.declare) await expectTopology(options.url, options.topology, timeoutMs);
    const connection = amqp.connect([options.url], {
      heartbeatIntervalInSeconds: options.heartbeatSeconds ?? 5,
      reconnectTimeInSeconds: 1,
      connectionOptions: { clientProperties: { connection_name: options.connectionName } },
    });
    connection.on('connect', () => logger.info('connected to broker'));
    connection.on('disconnect', ({ err }) => logger.warn('broker connection lost; reconnecting', { error: err }));
    connection.on('blocked', ({ reason }) => logger.warn('broker blocked publishing', { reason }));

    // Confirm channel: publish() resolves only once the broker has taken the message.
    const publishChannel = connection.createChannel({
      name: 'publish',
      confirm: true,
      json: false,
      publishTimeout: options.publishTimeoutMs ?? 15_000,
      // The setup user declares again on every reconnect; a HAP process found it declared before it started.
      setup: (channel: ConfirmChannel) => (options.declare ? declareTopology(channel, options.topology) : Promise.resolve()),
    });
    publishChannel.on('error', (error) => logger.error('publish channel error', { error }));

    try {
      await withTimeout(publishChannel.waitForConnect(), timeoutMs);
    } catch (error) {
      await connection.close().catch(() => {});
      throw new BrokerUnavailableError(
        `cannot reach RabbitMQ at ${redact(options.url)} within ${timeoutMs} ms (${(error as Error).message}); is it running?`,
      );
    }
    return new Broker(connection, publishChannel, logger, loginOf(options.url), options.metrics, options.tracer);
  }

  /**
   * Publishes inside a producer span. A message that carries a trace already
   * (an outbox row keeps the one of the transaction that wrote it) continues
   * that one; any other continues the caller's active context.
   */
  async publish(message: OutgoingMessage): Promise<void> {
    const carried = message.options.headers as Record<string, unknown> | undefined;
    const parent = carried?.traceparent ? contextFromHeaders(carried) : context.active();
    const span = this.tracer.startSpan(
      `publish ${message.routingKey}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.operation.type': 'send',
          'messaging.destination.name': message.exchange,
          'messaging.rabbitmq.destination.routing_key': message.routingKey,
          'messaging.message.id': message.options.messageId,
        },
      },
      parent,
    );
    const headers = { ...carried, ...traceHeaders(trace.setSpan(parent, span)) };
    try {
      await this.publishChannel.publish(message.exchange, message.routingKey, message.content, {
        ...message.options,
        headers,
        userId: this.user,
      });
      this.metrics?.messagesPublished.inc({ exchange: message.exchange, routing_key: message.routingKey });
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'not confirmed' });
      throw error;
    } finally {
      span.end();
    }
  }

  /** A channel whose setup runs on every (re)connection; consumers are built on these. */
  createChannel(name: string, setup: (channel: ConfirmChannel) => Promise<void>): ChannelWrapper {
    const channel = this.connection.createChannel({ name, confirm: true, json: false, setup });
    channel.on('error', (error) => this.logger.error('channel error', { channel: name, error }));
    return channel;
  }

  /** How many times the connection was (re)established; grows with every recovery. */
  get connects(): number {
    return this.connectCount;
  }

  isConnected(): boolean {
    return this.connection.isConnected();
  }

  /** A plain channel on the current connection, for one short piece of work (a DLQ look); the caller closes it. */
  async openChannel(): Promise<Channel> {
    const model = this.connection.connection;
    if (!model) throw new BrokerUnavailableError('not connected to RabbitMQ');
    return model.createChannel();
  }

  /** Messages ready in each queue, by a passive check (which needs no rights); a queue that is not there is left out. */
  async queueDepths(queues: readonly string[]): Promise<Record<string, number>> {
    const depths: Record<string, number> = {};
    for (const queue of queues) {
      // A missing queue closes the channel with an error: one channel per check.
      const channel = await this.openChannel();
      channel.on('error', () => {});
      try {
        depths[queue] = (await channel.checkQueue(queue)).messageCount;
      } catch {
        // not there (yet): nothing to report
      } finally {
        await channel.close().catch(() => {});
      }
    }
    return depths;
  }

  /** For readiness probes: resolves while connected. */
  async check(): Promise<void> {
    if (!this.isConnected()) throw new Error('not connected to RabbitMQ');
  }

  async close(): Promise<void> {
    await this.publishChannel.close().catch(() => {});
    await this.connection.close();
  }
}

/** The user an AMQP URL logs in as; amqplib's default when it names none. */
export function loginOf(url: string): string {
  return decodeURIComponent(new URL(url).username) || 'guest';
}

/** Passively checks, on a connection of its own, that what the process uses is declared. */
async function expectTopology(url: string, topology: Topology, timeoutMs: number): Promise<void> {
  let connection: amqplib.ChannelModel;
  try {
    connection = await withTimeout(amqplib.connect(url), timeoutMs);
  } catch (error) {
    throw new BrokerUnavailableError(
      `cannot reach RabbitMQ at ${redact(url)} within ${timeoutMs} ms (${(error as Error).message}); is it running?`,
    );
  }
  connection.on('error', () => {}); // a failed check closes its channel, and the connection reports it too
  try {
    await checkTopology(connection, topology);
  } finally {
    await connection.close().catch(() => {});
  }
}

export { TopologyMissingError };

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid AMQP_URL)';
  }
}
