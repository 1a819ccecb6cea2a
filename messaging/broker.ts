import amqp, { type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import { withTimeout } from '../lib/with-timeout';
import type { Logger } from '../logging/logger';
import type { OutgoingMessage } from './message';
import { declareTopology, type Topology } from './topology';

export interface BrokerOptions {
  /** amqp://user:pass@host:port/vhost */
  url: string;
  /** Shown in the broker's connection list. */
  connectionName: string;
  topology: Topology;
  logger: Logger;
  /** How long a publish may wait for its confirm, reconnections included. */
  publishTimeoutMs?: number;
  /** How long connect() waits for the first connection before giving up. */
  connectTimeoutMs?: number;
  heartbeatSeconds?: number;
}

/** Publishes raw messages and resolves once the broker confirms them. */
export interface ConfirmedPublisher {
  publish(message: OutgoingMessage): Promise<void>;
}

export class BrokerUnavailableError extends Error {}

/**
 * One connection to RabbitMQ that survives broker restarts and force-closed
 * connections: it reconnects, declares the topology again and re-runs every
 * channel's setup (consumers included), without a process restart.
 */
export class Broker implements ConfirmedPublisher {
  private connectCount = 0;

  private constructor(
    private readonly connection: AmqpConnectionManager,
    private readonly publishChannel: ChannelWrapper,
    private readonly logger: Logger,
  ) {
    connection.on('connect', () => (this.connectCount += 1));
    if (connection.isConnected()) this.connectCount = 1;
  }

  static async connect(options: BrokerOptions): Promise<Broker> {
    const logger = options.logger.child({ component: 'broker' });
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
      setup: (channel: ConfirmChannel) => declareTopology(channel, options.topology),
    });
    publishChannel.on('error', (error) => logger.error('publish channel error', { error }));

    const timeoutMs = options.connectTimeoutMs ?? 15_000;
    try {
      await withTimeout(publishChannel.waitForConnect(), timeoutMs);
    } catch (error) {
      await connection.close().catch(() => {});
      throw new BrokerUnavailableError(
        `cannot reach RabbitMQ at ${redact(options.url)} within ${timeoutMs} ms (${(error as Error).message}); is it running?`,
      );
    }
    return new Broker(connection, publishChannel, logger);
  }

  async publish(message: OutgoingMessage): Promise<void> {
    await this.publishChannel.publish(message.exchange, message.routingKey, message.content, message.options);
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

  /** For readiness probes: resolves while connected. */
  async check(): Promise<void> {
    if (!this.isConnected()) throw new Error('not connected to RabbitMQ');
  }

  async close(): Promise<void> {
    await this.publishChannel.close().catch(() => {});
    await this.connection.close();
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid AMQP_URL)';
  }
}
