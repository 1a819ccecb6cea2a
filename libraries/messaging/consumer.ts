import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { parseEvent, type DomainEvent } from '../events/catalog';
import { fromAmqpHeaders, headerNames, type EventHeaders } from '../events/envelope';
import { isPermanentError } from '../events/errors';
import { safeErrorText } from '../observability/logging/error-text';
import type { Logger } from '../observability/logging/logger';
import type { Metrics } from '../observability/metrics';
import { contextFromHeaders } from '../observability/telemetry';
import type { Broker } from './broker';
import { nextRetry, type RetryPolicy } from './retry-policy';
import { deadLetterExchange, dlqName, retryDelayHeader, retryExchange } from './topology';

/** How a delivery was settled (hap_messages_consumed_total's outcome label). */
type Outcome = 'acked' | 'duplicate' | 'retried' | 'dead_lettered';

export interface DeliveryContext {
  queue: string;
  headers: EventHeaders;
  redelivered: boolean;
  logger: Logger;
}

/**
 * Applies one event. Throw a PermanentError for what can never succeed;
 * anything else is retried. 'duplicate' says it changed nothing because the
 * event was seen before (libraries/messaging/inbox.ts); it is acked either way.
 */
export type EventHandler = (event: DomainEvent, context: DeliveryContext) => Promise<void | 'duplicate'>;

export interface ConsumerOptions {
  queue: string;
  handler: EventHandler;
  /** Unacked deliveries at once; also the handler's concurrency. */
  prefetch: number;
  retry: RetryPolicy;
  logger: Logger;
  /** Who may send what: an event from any other broker user is dead-lettered as `unauthorized-publisher`. */
  publishers?: PublisherCheck;
  /** Where each settled delivery is counted (hap_messages_consumed_total). */
  metrics?: Pick<Metrics, 'messagesConsumed'>;
  /** A consumer span per delivery, continuing the trace its headers carry (none recorded without one). */
  tracer?: Tracer;
}

/** The broker users consumers accept events from (libraries/messaging/permissions.ts publisherCheck builds it from the catalog). */
export interface PublisherCheck {
  /** The user this consumer logs in as: a message it re-published (a retry) names its first sender in `hap-published-by`. */
  self: string;
  /** The user that sends this type of event. */
  senderOf(eventType: DomainEvent['eventType']): string;
}

/** Set on the copies a consumer makes (retries, dead letters): who published the original, since the copy's user_id is the consumer's. */
export const publishedByHeader = 'hap-published-by';

/** Headers a dead-lettered message carries so that whoever inspects the DLQ knows why. */
export const deadLetterHeaders = {
  reason: 'x-dead-letter-reason',
  error: 'x-error-message',
  queue: 'x-original-queue',
  at: 'x-dead-lettered-at',
} as const;

const lastErrorHeader = 'x-last-error';
/** When the message first failed here: the retry window is counted from it, across every delay-queue round trip. */
export const firstFailureHeader = 'x-first-failed-at';

/**
 * Consumes one queue with manual acks. A delivery is acked only after the
 * handler is done; a permanent failure is copied to `<queue>.dlq` with its
 * reason, a recoverable one is sent round a delay queue with a growing delay
 * and `x-retry-count`, then dead-lettered. Either way the original is acked
 * only once its copy is confirmed, so nothing is lost and nothing blocks the
 * messages behind it.
 */
export class Consumer {
  private readonly channel: ChannelWrapper;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly closedChannels = new WeakSet<ConfirmChannel>();
  private readonly consumerTags = new Map<ConfirmChannel, string>();
  private readonly logger: Logger;
  private stopping = false;

  private constructor(
    private readonly broker: Broker,
    private readonly options: ConsumerOptions,
  ) {
    this.logger = options.logger.child({ queue: options.queue });
    // Runs on every (re)connection, so consuming resumes after a broker restart.
    this.channel = broker.createChannel(`consume:${options.queue}`, async (channel) => {
      if (this.stopping) return;
      channel.once('close', () => this.closedChannels.add(channel));
      await channel.prefetch(options.prefetch);
      const { consumerTag } = await channel.consume(options.queue, (message) => this.onDelivery(channel, message), { noAck: false });
      this.consumerTags.set(channel, consumerTag);
    });
  }

  static async start(broker: Broker, options: ConsumerOptions): Promise<Consumer> {
    const consumer = new Consumer(broker, options);
    await consumer.channel.waitForConnect();
    return consumer;
  }

  /** Stops taking deliveries, waits for the ones in hand (up to drainMs), then closes the channel. */
  async stop(drainMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const [channel, tag] of this.consumerTags) {
      if (!this.closedChannels.has(channel)) await channel.cancel(tag).catch(() => {});
    }
    const drained = Promise.allSettled([...this.inFlight]);
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, drainMs).unref())]);
    await this.channel.close().catch(() => {});
  }

  private onDelivery(channel: ConfirmChannel, message: ConsumeMessage | null): void {
    if (!message) {
      this.logger.warn('consumer cancelled by the broker (queue deleted?)');
      return;
    }
    const work = this.traced(channel, message).finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  /** Handles the delivery inside a span that continues the publisher's trace: what the handler publishes or starts joins it. */
  private async traced(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const parent = contextFromHeaders(message.properties.headers);
    const tracer = this.options.tracer ?? trace.getTracer('hap');
    const span = tracer.startSpan(
      `process ${this.options.queue}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.operation.type': 'process',
          'messaging.destination.name': this.options.queue,
          'messaging.message.id': message.properties.messageId as string | undefined,
          'messaging.rabbitmq.destination.routing_key': message.fields.routingKey,
        },
      },
      parent,
    );
    try {
      const outcome = await context.with(trace.setSpan(parent, span), () => this.process(channel, message));
      span.setAttribute('hap.outcome', outcome);
      if (outcome === 'dead_lettered') span.setStatus({ code: SpanStatusCode.ERROR, message: 'dead-lettered' });
    } finally {
      span.end();
    }
  }

  private async process(channel: ConfirmChannel, message: ConsumeMessage): Promise<Outcome | 'requeued'> {
    const { queue } = this.options;
    const headers = fromAmqpHeaders(message.properties.headers);
    let event: DomainEvent;
    try {
      event = parseEvent(message.content);
    } catch (error) {
      await this.settle(channel, message, () => this.deadLetter(message, error as Error));
      return 'dead_lettered';
    }

    const { publishers } = this.options;
    if (publishers) {
      const sender = senderOf(message, publishers.self);
      const expected = publishers.senderOf(event.eventType);
      if (sender !== expected) {
        const refused = new UnauthorizedPublisherError(
          `${event.eventType} is sent by ${expected} only; this one came from ${sender ?? 'a message without user_id'}`,
        );
        await this.settle(channel, message, () => this.deadLetter(message, refused));
        return 'dead_lettered';
      }
    }

    const eventLogger = this.logger.child({ eventId: event.eventId, eventType: event.eventType, correlationId: headers.correlationId });
    try {
      const result = await this.options.handler(event, { queue, headers, redelivered: message.fields.redelivered, logger: eventLogger });
      this.ack(channel, message);
      const outcome = result === 'duplicate' ? 'duplicate' : 'acked';
      this.count(outcome);
      return outcome;
    } catch (error) {
      if (this.stopping && !isPermanentError(error)) {
        // Shutting down: hand the message back for another instance instead of parking it.
        this.nack(channel, message);
        return 'requeued';
      }
      return this.settle(channel, message, () => this.fail(message, headers, error as Error, eventLogger));
    }
  }

  private async fail(message: ConsumeMessage, headers: EventHeaders, error: Error, logger: Logger): Promise<Outcome> {
    if (isPermanentError(error)) return this.deadLetter(message, error);
    const retries = headers.retryCount ?? 0;
    const firstFailedAt = parseTime(message.properties.headers?.[firstFailureHeader]) ?? new Date();
    const decision = nextRetry(this.options.retry, retries, firstFailedAt);
    if (!decision.retry) return this.deadLetter(message, error, decision.why);
    // Warn at the first failure and then now and again, not at every round of a long outage.
    const fields = { error, retry: retries + 1, delayMs: decision.delayMs, failingSince: firstFailedAt.toISOString() };
    if (Number.isInteger(Math.log2(retries + 1))) logger.warn('handler failed; retrying later', fields);
    else logger.debug('handler failed; retrying later', fields);
    // The delay queue dead-letters back through the default exchange by this routing key.
    await this.copy(message, retryExchange, this.options.queue, {
      [headerNames.retryCount]: retries + 1,
      [retryDelayHeader]: String(decision.delayMs),
      [firstFailureHeader]: firstFailedAt.toISOString(),
      [lastErrorHeader]: truncate(safeErrorText(error)),
    });
    this.count('retried');
    return 'retried';
  }

  private async deadLetter(message: ConsumeMessage, error: Error, reasonOverride?: string): Promise<'dead_lettered'> {
    const reason = reasonOverride ?? (error as { reason?: string }).reason ?? 'permanent-failure';
    this.logger.error('message dead-lettered', { reason, error, messageId: message.properties.messageId });
    await this.copy(message, deadLetterExchange, dlqName(this.options.queue), {
      [deadLetterHeaders.reason]: reason,
      [deadLetterHeaders.error]: truncate(safeErrorText(error)),
      [deadLetterHeaders.queue]: this.options.queue,
      [deadLetterHeaders.at]: new Date().toISOString(),
    });
    this.count('dead_lettered');
    return 'dead_lettered';
  }

  private count(outcome: Outcome): void {
    this.options.metrics?.messagesConsumed.inc({ queue: this.options.queue, outcome });
  }

  /** Publishes the message unchanged but for extra headers, with confirms, naming who sent the original. */
  private copy(message: ConsumeMessage, exchange: string, routingKey: string, headers: Record<string, string | number>): Promise<void> {
    const sender = senderOf(message, this.broker.user);
    return this.broker.publish({
      exchange,
      routingKey,
      content: message.content,
      options: {
        ...message.properties,
        persistent: true,
        headers: { ...message.properties.headers, ...(sender ? { [publishedByHeader]: sender } : {}), ...headers },
      },
    });
  }

  /** Acks once the copy (retry or DLQ) is confirmed; if that fails, the broker redelivers the original. */
  private async settle(channel: ConfirmChannel, message: ConsumeMessage, copy: () => Promise<Outcome>): Promise<Outcome | 'requeued'> {
    try {
      const outcome = await copy();
      this.ack(channel, message);
      return outcome;
    } catch (error) {
      this.logger.error('could not park a failed message; returning it to the queue', { error });
      this.nack(channel, message);
      return 'requeued';
    }
  }

  // Acks go to the channel the message came on; after a reconnect that channel
  // is gone and the broker redelivers, which the inbox makes harmless.
  private ack(channel: ConfirmChannel, message: ConsumeMessage): void {
    if (this.closedChannels.has(channel)) return;
    try {
      channel.ack(message);
    } catch (error) {
      this.logger.warn('ack failed; the message will be redelivered', { error });
    }
  }

  private nack(channel: ConfirmChannel, message: ConsumeMessage): void {
    if (this.closedChannels.has(channel)) return;
    try {
      channel.nack(message, false, true);
    } catch (error) {
      this.logger.warn('nack failed; the message will be redelivered', { error });
    }
  }
}

/** An event from a broker user the catalog does not name as its sender. */
export class UnauthorizedPublisherError extends Error {
  readonly reason = 'unauthorized-publisher';
}

/**
 * Who sent a message: its validated user_id, or, on a copy this consumer's
 * own user re-published (a retry coming back), the sender it recorded.
 */
function senderOf(message: ConsumeMessage, self: string): string | undefined {
  const userId = message.properties.userId as string | undefined;
  const recorded = message.properties.headers?.[publishedByHeader];
  return userId === self && typeof recorded === 'string' ? recorded : userId;
}

function parseTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

function truncate(text: string, max = 1000): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
