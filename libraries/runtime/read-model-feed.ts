import { eq } from 'drizzle-orm';
import type pg from 'pg';
import { ConflictError } from '../common/domain-errors';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../http/errors';
import { isSafeMethod } from '../http/safe-methods';
import type { Executor } from '../db/executor';
import type { ReadinessCheck } from '../http/health';
import type { Logger } from '../observability/logging/logger';
import { replayHistory, type HistoryReplayCounts, type HistoryReplayOptions } from '../messaging/history-replay';
import { inbox } from '../messaging/schema';

/** True when the read model has applied nothing from its queue: a new instance, or one whose read model was rebuilt. */
async function readModelIsEmpty(readDb: Executor, queue: string): Promise<boolean> {
  const rows = await readDb.select({ eventId: inbox.eventId }).from(inbox).where(eq(inbox.consumer, queue)).limit(1);
  return rows.length === 0;
}

/**
 * An empty read model catching up: the history replayed (as long as it takes,
 * trying again while a dependency is away), then its queue consumed. Until
 * then /ready says so and reads answer 503, so the gateway asks another
 * instance rather than show an incomplete read model.
 */
class ReadModelCatchUp {
  private readonly abort = new AbortController();
  private counts: HistoryReplayCounts = { applied: 0, skipped: 0 };
  private caughtUp = false;
  /** Resolves once the queue is being consumed (or the instance stopped first). */
  readonly done: Promise<void>;

  constructor(
    replay: Omit<HistoryReplayOptions, 'signal' | 'progress'>,
    thenConsume: () => Promise<void>,
    private readonly logger: Logger,
  ) {
    this.done = this.run(replay, thenConsume);
  }

  get catchingUp(): boolean {
    return !this.caughtUp;
  }

  readonly check: ReadinessCheck = {
    name: 'readModel',
    check: async () => {
      if (!this.caughtUp) throw new Error(`catching up on the event history (${this.counts.applied} events applied so far)`);
    },
  };

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
  }

  private async run(replay: Omit<HistoryReplayOptions, 'signal' | 'progress'>, thenConsume: () => Promise<void>): Promise<void> {
    const started = Date.now();
    while (!this.abort.signal.aborted) {
      try {
        this.counts = await replayHistory({ ...replay, signal: this.abort.signal, progress: (counts) => (this.counts = counts) });
        break;
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.logger.warn('history replay failed; trying again', { error });
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
    while (!this.abort.signal.aborted) {
      try {
        await thenConsume();
        break;
      } catch (error) {
        this.logger.warn('could not start consuming after the history replay; trying again', { error });
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
    if (this.abort.signal.aborted) return;
    this.caughtUp = true;
    this.logger.info('read model caught up', { ...this.counts, ms: Date.now() - started });
  }
}

/** 503 for a read while the read model catches up (nothing changed: the gateway asks another instance); commands and operators' paths go on. */
export function readsWaitFor(catchUp: Pick<ReadModelCatchUp, 'catchingUp'>): MiddlewareHandler {
  return async (c, next) => {
    if (catchUp.catchingUp && isSafeMethod(c.req.method) && !c.req.path.startsWith('/admin/')) {
      throw new ApiError(
        503,
        'SERVICE_UNAVAILABLE',
        'this instance is catching up on the event history; another instance answers meanwhile',
      );
    }
    await next();
  };
}

/** Empties a read database for a rebuild: every table of its own schema but the migration journals, in one statement. */
export async function truncateReadModel(pool: Pick<pg.Pool, 'query'>, keep: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND NOT (tablename = ANY($1::text[])) ORDER BY tablename",
    [keep],
  );
  const tables = rows.map((row) => row.tablename);
  if (tables.length > 0) await pool.query(`TRUNCATE ${tables.map((table) => `"${table.replace(/"/g, '""')}"`).join(', ')}`);
  return tables;
}

export interface ReadModelFeedOptions {
  replay: Omit<HistoryReplayOptions, 'signal' | 'progress'>;
  readDb: Executor;
  /** Starts the queue's consumer (the read model's live feed); what it returns is stopped for a rebuild. */
  consume: () => Promise<{ stop(): Promise<void> }>;
  /** Empties the read model, its inbox included. */
  truncate: () => Promise<void>;
  logger: Logger;
}

/**
 * What feeds one instance's read model: its queue, after a catch-up on the
 * history when the read model is empty, and again after a rebuild (the
 * consumer stopped, the read model emptied, the history replayed, the queue
 * taken again, which kept what came meanwhile).
 */
export class ReadModelFeed {
  private catchUp: ReadModelCatchUp | undefined;
  private consumer: { stop(): Promise<void> } | undefined;
  private rebuilding = false;

  constructor(private readonly options: ReadModelFeedOptions) {}

  async start(): Promise<void> {
    if (await readModelIsEmpty(this.options.readDb, this.options.replay.queue.name)) this.beginCatchUp();
    else this.consumer = await this.options.consume();
  }

  get catchingUp(): boolean {
    return this.rebuilding || (this.catchUp?.catchingUp ?? false);
  }

  /** Resolves once the read model is current and its queue consumed. */
  get caughtUp(): Promise<void> {
    return this.catchUp?.done ?? Promise.resolve();
  }

  readonly check: ReadinessCheck = {
    name: 'readModel',
    check: async () => {
      if (this.rebuilding) throw new Error('being rebuilt');
      await this.catchUp?.check.check();
    },
  };

  /** Starts a rebuild; resolves once the replay is under way (the instance answers reads with 503 from the first moment). */
  async rebuild(): Promise<void> {
    if (this.catchingUp) throw new ConflictError('the read model is already catching up');
    this.rebuilding = true;
    try {
      const consumer = this.consumer;
      this.consumer = undefined;
      await consumer?.stop();
      await this.options.truncate();
      this.options.logger.info('read model emptied for a rebuild');
    } catch (error) {
      // Not emptied (the database away?): the feed goes on all the same, after a harmless replay.
      this.beginCatchUp();
      throw error;
    } finally {
      this.rebuilding = false;
    }
    this.beginCatchUp();
  }

  async stop(): Promise<void> {
    await this.catchUp?.stop();
    await this.consumer?.stop();
  }

  private beginCatchUp(): void {
    this.catchUp = new ReadModelCatchUp(
      this.options.replay,
      async () => void (this.consumer = await this.options.consume()),
      this.options.logger,
    );
  }
}
