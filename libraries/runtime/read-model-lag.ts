import { desc, eq } from 'drizzle-orm';
import type { DomainEvent } from '../events/catalog';
import type { Executor } from '../db/executor';
import { inbox } from '../messaging/schema';

/** How far an instance's read model is behind, as /ready and GET /metrics show it. */
export interface ReadModelLagReport {
  /** The last event applied to the read model: its id and type, when it happened and when it was applied. */
  lastEventId: string | null;
  lastEventType: string | null;
  lastEventAt: string | null;
  lastAppliedAt: string | null;
  /** Events in the instance's queue not yet taken. */
  waiting: number;
  /**
   * 0 with nothing waiting; otherwise how old the newest change the read
   * model shows is (now − lastEventAt): at most that far behind.
   */
  secondsBehind: number;
}

interface Applied {
  eventId: string;
  eventType: string;
  occurredAt: Date;
  appliedAt: Date;
}

/**
 * Keeps the last event an instance's projection applied, and reads its
 * queue's depth when asked. After a restart, until the next event, the last
 * one is read back from the read model's inbox (which keeps when, not the
 * event's own time: that is then taken as its time).
 */
export class ReadModelLag {
  private last: Applied | undefined;
  private seeded = false;

  constructor(
    private readonly options: {
      queue: string;
      readDb: Executor;
      /** Messages ready in the queue (the broker's passive check). */
      waiting: () => Promise<number>;
      now?: () => Date;
    },
  ) {}

  /** Called once the projection committed an event (a duplicate changed nothing and is not one). */
  applied(event: DomainEvent): void {
    this.last = { eventId: event.eventId, eventType: event.eventType, occurredAt: new Date(event.occurredAt), appliedAt: this.now() };
    this.seeded = true;
  }

  async report(): Promise<ReadModelLagReport> {
    if (!this.seeded) await this.seed();
    const waiting = await this.options.waiting();
    const last = this.last;
    const behind = waiting > 0 && last ? Math.max(0, Math.round((this.now().getTime() - last.occurredAt.getTime()) / 1000)) : 0;
    return {
      lastEventId: last?.eventId ?? null,
      lastEventType: last?.eventType ?? null,
      lastEventAt: last?.occurredAt.toISOString() ?? null,
      lastAppliedAt: last?.appliedAt.toISOString() ?? null,
      waiting,
      secondsBehind: behind,
    };
  }

  private async seed(): Promise<void> {
    const [row] = await this.options.readDb
      .select({ eventId: inbox.eventId, eventType: inbox.eventType, processedAt: inbox.processedAt })
      .from(inbox)
      .where(eq(inbox.consumer, this.options.queue))
      .orderBy(desc(inbox.processedAt))
      .limit(1);
    if (!this.seeded && row) this.last = { ...row, occurredAt: row.processedAt, appliedAt: row.processedAt };
    this.seeded = true;
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}
