import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { catalog, parseEvent } from '../../../libraries/events/catalog';
import type { ConsultationStatus } from '../../../libraries/events/consultations';
import type { JsonHttpClient } from '../../harness/json-http';

/** A change to wait for: from `before` (ABSENT: not in the read model yet), through `via`, to anything else. */
export interface Transition {
  before: ConsultationStatus | 'ABSENT';
  via: ConsultationStatus;
}

export interface ObserverOptions {
  /** The broker, on the system's vhost, with a login that may make a queue of its own there. */
  amqpUrl: string;
  /** After an event, the read model is asked again this often until it shows the status. */
  confirmRetryMs: number;
  /** A saga with no event for this long is looked up on its own (a backstop; events are not lost). */
  lookupAfterMs: number;
}

export interface ObserverStats {
  events: number;
  /** GET /consultations/:id after an event, until the read model shows it. */
  confirmRequests: number;
  /** Per settled saga: 1 when the read model had it at the first ask. */
  confirmRequestsPerSaga: number;
  /** Mean time from the event reaching the bench to the read model showing it. */
  meanConfirmLagMs: number;
  lookups: number;
  failedRequests: number;
  settledFromEvent: number;
  settledFromLookup: number;
}

interface Tracked {
  id: string;
  client: JsonHttpClient;
  transition: Transition;
  trackedAt: number;
  /** The status an event announced, and when it arrived. */
  announced: { status: ConsultationStatus; at: number } | undefined;
  asking: boolean;
  lastLookupAt: number;
  settle: (status: ConsultationStatus, at: number, reason: string | null) => void;
}

interface ConsultationItem {
  status: ConsultationStatus;
  statusReason: string | null;
}

/** The events that end what the bench waits for: SCHEDULED or REJECTED after PENDING, CANCELLED after a cancellation. */
const settlingEvents = ['ConsultationScheduled', 'ConsultationCancelled'] as const;

/**
 * Sees consultations change status in a scheduling read model without
 * sweeping it. A queue of the bench's own hears the events that settle a
 * saga; on each, one GET /consultations/:id asks the instance the saga is
 * followed on, again every confirmRetryMs until it shows the status, and the
 * time counted is when it did. So the read model is read about once per
 * saga, and the instrument stays out of the way of what it measures.
 */
export class EventObserver {
  private readonly tracked = new Map<string, Tracked>();
  /** Events that came before their saga was tracked (a saga quicker than its 202). */
  private readonly early = new Map<string, { status: ConsultationStatus; at: number }>();
  private connection: ChannelModel | undefined;
  private channel: Channel | undefined;
  private backstop: NodeJS.Timeout | undefined;
  private readonly counts = {
    events: 0,
    confirmRequests: 0,
    confirmLagMs: 0,
    lookups: 0,
    failedRequests: 0,
    settledFromEvent: 0,
    settledFromLookup: 0,
  };

  constructor(
    private readonly instances: JsonHttpClient[],
    private readonly options: ObserverOptions,
  ) {}

  /** Follow one consultation, on instance `instance` (modulo the number of instances), until it gets past `transition.via`. */
  track(id: string, instance: number, transition: Transition, settle: Tracked['settle']): void {
    const client = this.instances[instance % this.instances.length]!;
    const now = performance.now();
    const entry: Tracked = { id, client, transition, trackedAt: now, announced: undefined, asking: false, lastLookupAt: now, settle };
    this.tracked.set(id, entry);
    const early = this.early.get(id);
    this.early.delete(id);
    if (early) this.announce(entry, early);
  }

  async start(): Promise<void> {
    this.connection = await amqp.connect(this.options.amqpUrl);
    this.channel = await this.connection.createChannel();
    // Classic, exclusive, gone with the connection: an instrument's queue, not the system's.
    const { queue } = await this.channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
    for (const eventType of settlingEvents) {
      await this.channel.bindQueue(queue, catalog[eventType].exchange, catalog[eventType].routingKey);
    }
    await this.channel.consume(queue, (message) => message && this.onMessage(message.content), { noAck: true });
    this.backstop = setInterval(() => this.lookUpQuiet(), Math.min(1000, this.options.lookupAfterMs));
  }

  async stop(): Promise<void> {
    clearInterval(this.backstop);
    await this.connection?.close().catch(() => {});
    this.connection = undefined;
  }

  stats(): ObserverStats {
    const c = this.counts;
    return {
      events: c.events,
      confirmRequests: c.confirmRequests,
      confirmRequestsPerSaga: c.settledFromEvent ? round1(c.confirmRequests / c.settledFromEvent) : 0,
      meanConfirmLagMs: c.settledFromEvent ? round1(c.confirmLagMs / c.settledFromEvent) : 0,
      lookups: c.lookups,
      failedRequests: c.failedRequests,
      settledFromEvent: c.settledFromEvent,
      settledFromLookup: c.settledFromLookup,
    };
  }

  private onMessage(content: Buffer): void {
    const at = performance.now();
    let id: string;
    let status: ConsultationStatus;
    try {
      const event = parseEvent(content);
      if (event.eventType !== 'ConsultationScheduled' && event.eventType !== 'ConsultationCancelled') return;
      ({ consultationId: id, status } = event.payload);
    } catch {
      return; // not the bench's business: the system dead-letters what it cannot read
    }
    this.counts.events++;
    const entry = this.tracked.get(id);
    if (entry) this.announce(entry, { status, at });
    else this.early.set(id, { status, at });
  }

  private announce(entry: Tracked, announced: { status: ConsultationStatus; at: number }): void {
    const { before, via } = entry.transition;
    if (announced.status === before || announced.status === via) return;
    entry.announced = announced;
    void this.confirm(entry);
  }

  /** Asks the read model until it shows the announced status. */
  private async confirm(entry: Tracked): Promise<void> {
    if (entry.asking) return;
    entry.asking = true;
    try {
      while (this.tracked.has(entry.id) && this.connection) {
        this.counts.confirmRequests++;
        const item = await this.ask(entry);
        if (item && item.status === entry.announced?.status) {
          const at = performance.now();
          this.counts.settledFromEvent++;
          this.counts.confirmLagMs += at - entry.announced.at;
          return this.settle(entry, item, at);
        }
        await new Promise((resolve) => setTimeout(resolve, this.options.confirmRetryMs));
      }
    } finally {
      entry.asking = false;
    }
  }

  /** The backstop: a saga that heard nothing for lookupAfterMs is read on its own; past its transition, it settles. */
  private lookUpQuiet(): void {
    const now = performance.now();
    for (const entry of this.tracked.values()) {
      if (entry.announced || entry.asking || now - entry.lastLookupAt < this.options.lookupAfterMs) continue;
      entry.lastLookupAt = now;
      entry.asking = true;
      this.counts.lookups++;
      void this.ask(entry).then((item) => {
        entry.asking = false;
        const { before, via } = entry.transition;
        if (!item || item.status === before || item.status === via || !this.tracked.has(entry.id)) return;
        this.counts.settledFromLookup++;
        this.settle(entry, item, performance.now());
      });
    }
  }

  private async ask(entry: Tracked): Promise<ConsultationItem | undefined> {
    try {
      const response = await entry.client.get<ConsultationItem>(`/consultations/${entry.id}`);
      if (response.status === 404) return undefined;
      if (response.status !== 200 || !response.body) throw new Error(`answer ${response.status}`);
      return response.body;
    } catch {
      this.counts.failedRequests++;
      return undefined;
    }
  }

  private settle(entry: Tracked, item: ConsultationItem, at: number): void {
    this.tracked.delete(entry.id);
    entry.settle(item.status, at, item.statusReason);
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
