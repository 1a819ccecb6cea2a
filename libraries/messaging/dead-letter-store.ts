import type { Channel, ChannelModel, GetMessage } from 'amqplib';
import { headerNames } from '../events/envelope';
import { parseEvent } from '../events/catalog';
import { deadLetterHeaders, firstFailureHeader, publishedByHeader } from './consumer';
import type { OutgoingMessage } from './message';
import { dlqName, retryDelayHeader, retryExchange } from './topology';

/** One DLQ as an operator sees it at a glance. */
export interface DeadLetterQueue {
  queue: string;
  messages: number;
  /** Seconds since the oldest message was parked; null when the DLQ is empty. */
  oldestAgeSeconds: number | null;
}

/** One parked message, with what its headers say about why. The envelope holds the event's data: for operators only. */
export interface ParkedMessage {
  messageId: string | null;
  eventType: string | null;
  reason: string | null;
  error: string | null;
  originalQueue: string | null;
  firstFailedAt: string | null;
  deadLetteredAt: string | null;
  retryCount: number;
  /** Who sent the original (its AMQP user_id); null when it carried none. */
  publishedBy: string | null;
  /** The body as JSON, or as text when it is not JSON. */
  envelope: unknown;
}

export type Selection = { id: string } | 'all';

export interface ReplayOutcome {
  replayed: string[];
  /** Selected messages left in the DLQ, and why (still invalid, no original queue). */
  kept: { messageId: string | null; why: string }[];
}

/** An operator's replay header: when the message was put back. */
export const replayedAtHeader = 'x-replayed-at';

const text = (value: unknown) => (value === undefined || value === null ? null : Buffer.isBuffer(value) ? value.toString() : String(value));

function bodyOf(message: GetMessage): unknown {
  const body = message.content.toString('utf8');
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body; // not JSON: shown as the text it is
  }
}

/** The message id, or the event id of a body published without one. */
function idOf(message: GetMessage, envelope = bodyOf(message)): string | null {
  const fromBody = typeof envelope === 'object' && envelope !== null ? (envelope as Record<string, unknown>).eventId : undefined;
  return text(message.properties.messageId) ?? text(fromBody);
}

function describe(message: GetMessage): ParkedMessage {
  const headers = message.properties.headers ?? {};
  const envelope = bodyOf(message);
  const eventType = typeof envelope === 'object' && envelope !== null ? (envelope as Record<string, unknown>).eventType : undefined;
  return {
    messageId: idOf(message, envelope),
    eventType: text(message.properties.type) ?? text(eventType),
    reason: text(headers[deadLetterHeaders.reason]),
    error: text(headers[deadLetterHeaders.error]),
    originalQueue: text(headers[deadLetterHeaders.queue]),
    firstFailedAt: text(headers[firstFailureHeader]),
    deadLetteredAt: text(headers[deadLetterHeaders.at]),
    retryCount: Number(headers[headerNames.retryCount] ?? 0) || 0,
    // A consumer's copy is published by the consumer: its user_id is not the sender's, the header is.
    publishedBy: text(headers[publishedByHeader]) ?? (headers[deadLetterHeaders.queue] ? null : text(message.properties.userId)),
    envelope,
  };
}

const selected = (selection: Selection, message: GetMessage) => selection === 'all' || idOf(message) === selection.id;

/**
 * The DLQs as an operator works them: list, look, put back, throw away.
 * Messages are fetched unacknowledged; what is not acted on goes back when
 * the channel closes, so looking changes nothing. A replayed message goes
 * back to its original queue through the retry exchange (the way every
 * retry does, so no one needs the default exchange) with its retry count
 * reset, and leaves the DLQ only once the broker confirmed the copy.
 */
export class DeadLetterStore {
  constructor(
    private readonly options: {
      /** A login that may read the DLQs (the setup user's). */
      connection: Pick<ChannelModel, 'createChannel'>;
      /** Publishes with confirms as the principal that consumes the queue, so the consumer's sender check holds. */
      republish: (queue: string, message: OutgoingMessage) => Promise<void>;
      /** The shortest retry delay of the topology: a replayed message waits it out in that delay queue. */
      retryDelayMs: number;
    },
  ) {}

  /** Each DLQ of the given queues that exists, with its depth and the age of its oldest message. */
  async list(queues: readonly string[]): Promise<DeadLetterQueue[]> {
    const found: DeadLetterQueue[] = [];
    for (const queue of queues.map(dlqName)) {
      const info = await this.withChannel(async (channel) => {
        const { messageCount } = await channel.checkQueue(queue);
        const first = messageCount > 0 ? await channel.get(queue, { noAck: false }) : false;
        const at = first ? Date.parse(text(first.properties.headers?.[deadLetterHeaders.at]) ?? '') : NaN;
        return {
          queue,
          messages: messageCount,
          oldestAgeSeconds: Number.isNaN(at) ? null : Math.max(0, Math.round((Date.now() - at) / 1000)),
        };
      }).catch(() => undefined);
      if (info) found.push(info);
    }
    return found;
  }

  async show(dlq: string, limit = 20): Promise<ParkedMessage[]> {
    return this.withChannel(async (channel) => {
      const shown: ParkedMessage[] = [];
      while (shown.length < limit) {
        const message = await channel.get(dlq, { noAck: false });
        if (!message) break;
        shown.push(describe(message));
      }
      return shown;
    });
  }

  async replay(dlq: string, selection: Selection, options: { dryRun?: boolean } = {}): Promise<ReplayOutcome> {
    return this.withChannel(async (channel) => {
      const outcome: ReplayOutcome = { replayed: [], kept: [] };
      for (let message = await channel.get(dlq, { noAck: false }); message; message = await channel.get(dlq, { noAck: false })) {
        if (!selected(selection, message)) continue;
        const parked = describe(message);
        const why = whyNotReplayable(message, parked);
        if (why) {
          outcome.kept.push({ messageId: parked.messageId, why });
          continue;
        }
        if (!options.dryRun) {
          await this.options.republish(parked.originalQueue!, this.replayCopy(message, parked.originalQueue!));
          channel.ack(message);
        }
        outcome.replayed.push(parked.messageId ?? '(no id)');
      }
      return outcome;
    });
  }

  /** Removes the selected messages for good; returns how many. */
  async purge(dlq: string, selection: Selection): Promise<number> {
    return this.withChannel(async (channel) => {
      let purged = 0;
      for (let message = await channel.get(dlq, { noAck: false }); message; message = await channel.get(dlq, { noAck: false })) {
        if (!selected(selection, message)) continue;
        channel.ack(message);
        purged++;
      }
      return purged;
    });
  }

  private replayCopy(message: GetMessage, queue: string): OutgoingMessage {
    const headers: Record<string, unknown> = { ...message.properties.headers };
    for (const name of [...Object.values(deadLetterHeaders), firstFailureHeader, 'x-last-error']) delete headers[name];
    return {
      exchange: retryExchange,
      routingKey: queue,
      content: message.content,
      options: {
        ...message.properties,
        persistent: true,
        headers: {
          ...headers,
          [headerNames.retryCount]: 0,
          [retryDelayHeader]: String(this.options.retryDelayMs),
          [replayedAtHeader]: new Date().toISOString(),
        },
      },
    };
  }

  /** One channel for one operation; every message fetched and not acked goes back before it closes. */
  private async withChannel<T>(work: (channel: Channel) => Promise<T>): Promise<T> {
    const channel = await this.options.connection.createChannel();
    // A failed passive check or a missing queue closes the channel with an error: the operation fails, the process does not.
    let failure: Error | undefined;
    channel.on('error', (error: Error) => (failure ??= error));
    try {
      return await work(channel);
    } catch (error) {
      throw failure ?? error;
    } finally {
      if (!failure) channel.nackAll(true);
      await channel.close().catch(() => {});
    }
  }
}

/** Why a parked message cannot go back yet: its body still fails the catalog, or it does not say where it came from. */
function whyNotReplayable(message: GetMessage, parked: ParkedMessage): string | undefined {
  if (!parked.originalQueue) return 'no x-original-queue header: not parked by a HAP consumer';
  try {
    parseEvent(message.content);
    return undefined;
  } catch (error) {
    return `still invalid: ${error instanceof Error ? error.message : String(error)}`;
  }
}
