import type { ConsumeMessage } from 'amqplib';
import { parseEvent } from '../events/catalog';
import { fromAmqpHeaders } from '../events/envelope';
import { isPermanentError } from '../events/errors';
import type { Logger } from '../observability/logging/logger';
import type { Broker } from './broker';
import type { EventHandler, PublisherCheck } from './consumer';
import { historyStream, topicMatches, type Binding } from './topology';

export interface HistoryReplayOptions {
  broker: Pick<Broker, 'openChannel'>;
  /** The queue whose read model this fills: its name (for the handler) and its bindings (which events it takes). */
  queue: { name: string; bindings: readonly Binding[] };
  /** The projection, idempotent (libraries/messaging/inbox.ts): the queue's later deliveries of the same events change nothing. */
  handler: EventHandler;
  /** The same sender check the queue's consumer makes: a forged event in the history is skipped. */
  publishers: PublisherCheck;
  logger: Logger;
  /** The replay is over once nothing came for this long after the last event was applied, or once an event newer than its start came. */
  idleMs?: number;
  prefetch?: number;
  signal?: AbortSignal;
  /** Called after every event applied or skipped, for /ready's progress. */
  progress?: (counts: HistoryReplayCounts) => void;
}

export interface HistoryReplayCounts {
  applied: number;
  skipped: number;
}

/**
 * Replays the history stream from its first event into one queue's
 * projection, in order: the events the queue's bindings take, from their
 * senders only. Meant for a read model that starts empty, before its queue is
 * consumed. The queue exists before the replay begins and keeps what arrives
 * meanwhile, so there is no gap; the overlap is applied twice and changes
 * nothing the second time (the inbox and versioned upserts). A transient
 * failure is retried in place (the database may be away); an event that can
 * never apply is skipped, as the live consumer would have parked it.
 */
export async function replayHistory(options: HistoryReplayOptions): Promise<HistoryReplayCounts> {
  const { queue, logger } = options;
  const idleMs = options.idleMs ?? 1000;
  const startedAt = Date.now();
  const counts: HistoryReplayCounts = { applied: 0, skipped: 0 };
  const channel = await options.broker.openChannel();
  let failure: Error | undefined;
  channel.on('error', (error: Error) => (failure ??= error));
  await channel.prefetch(options.prefetch ?? 200);

  return new Promise<HistoryReplayCounts>((resolve, reject) => {
    let chain = Promise.resolve();
    let idle: NodeJS.Timeout | undefined;
    let finished = false;
    let tag: string | undefined;
    // Delivered and not yet applied: while any is, the stream is not idle, however slow applying is.
    let pending = 0;
    const finish = (error?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(idle);
      void chain
        .then(async () => {
          if (tag) await channel.cancel(tag).catch(() => {});
          await channel.close().catch(() => {});
        })
        .then(() => (error ? reject(error) : resolve(counts)));
    };
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => finish(), idleMs);
    };
    options.signal?.addEventListener('abort', () => finish(new Error('history replay stopped')), { once: true });
    channel.on('close', () => finish(failure ?? (finished ? undefined : new Error('history stream channel closed'))));

    const take = async (message: ConsumeMessage) => {
      if (finished) return;
      const outcome = await apply(options, message);
      counts[outcome] += 1;
      options.progress?.({ ...counts });
      channel.ack(message);
      // Past the tail as it was when the replay began: the queue has the rest.
      const publishedAt = Number(message.properties.timestamp) * 1000;
      if (publishedAt > startedAt + idleMs) finish();
    };
    const settle = () => {
      pending -= 1;
      if (pending === 0) armIdle();
    };
    channel
      .consume(
        historyStream,
        (message) => {
          if (!message) return finish(new Error('history stream consumer cancelled by the broker'));
          // The idle clock runs only once everything delivered is applied: a slow database
          // holding up a prefetched batch must not end the replay before the stream's end.
          pending += 1;
          clearTimeout(idle);
          chain = chain
            .then(() => take(message))
            .then(settle)
            .catch((error: unknown) => finish(error as Error));
        },
        { noAck: false, arguments: { 'x-stream-offset': 'first' } },
      )
      .then(
        ({ consumerTag }) => {
          tag = consumerTag;
          armIdle();
          logger.info('replaying the event history into an empty read model', { queue: queue.name });
        },
        (error: unknown) => finish(failure ?? (error as Error)),
      );
  });
}

async function apply(options: HistoryReplayOptions, message: ConsumeMessage): Promise<'applied' | 'skipped'> {
  const { queue, publishers, logger } = options;
  const { exchange, routingKey } = message.fields;
  if (!queue.bindings.some((binding) => binding.exchange === exchange && topicMatches(binding.pattern, routingKey))) return 'skipped';
  let event;
  try {
    event = parseEvent(message.content);
  } catch {
    return 'skipped'; // never applied by anyone: the live consumers parked it
  }
  if (message.properties.userId !== publishers.senderOf(event.eventType)) return 'skipped';
  const context = { queue: queue.name, headers: fromAmqpHeaders(message.properties.headers), redelivered: false, logger };
  for (let attempt = 1; ; attempt++) {
    try {
      await options.handler(event, context);
      return 'applied';
    } catch (error) {
      if (isPermanentError(error)) {
        logger.warn('history replay skipped an event that cannot apply', { eventId: event.eventId, eventType: event.eventType, error });
        return 'skipped';
      }
      if (options.signal?.aborted) throw error;
      if (attempt === 1 || Number.isInteger(Math.log2(attempt)))
        logger.warn('history replay could not apply an event; trying again', { error, attempt });
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** attempt)));
    }
  }
}
