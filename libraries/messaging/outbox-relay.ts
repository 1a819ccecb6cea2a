import type pg from 'pg';
import type { DomainEvent } from '../events/catalog';
import type { Logger } from '../observability/logging/logger';
import type { ConfirmedPublisher } from './broker';
import { eventProperties } from './message';
import { outboxChannel } from './outbox';
import { Wakeup } from './wakeup';

export interface OutboxRelayOptions {
  pool: pg.Pool;
  publisher: ConfirmedPublisher;
  logger: Logger;
  batchSize?: number;
  /** Safety net when a NOTIFY is missed; new rows normally wake the relay at once. */
  pollIntervalMs?: number;
  /** Longest pause between attempts while the broker is unreachable. */
  maxBackoffMs?: number;
}

interface PendingRow {
  id: string;
  exchange: string;
  routing_key: string;
  envelope: DomainEvent;
  headers: Record<string, string | number>;
}

/**
 * Moves committed outbox rows to the broker. Rows are locked with SKIP LOCKED,
 * so every instance of a service can run a relay against the shared write
 * database without two of them sending the same row. A row is marked published
 * only after its confirm; while the broker is away, rows wait and nothing is lost.
 */
export class OutboxRelay {
  private readonly wakeup = new Wakeup();
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly logger: Logger;
  private running: Promise<void> | undefined;
  private stopListening: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.logger = options.logger.child({ component: 'outbox-relay' });
  }

  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = Promise.all([this.loop(), this.listen()]).then(() => {});
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeup.wake();
    this.stopListening?.();
    await this.running;
    this.running = undefined;
  }

  /** Publishes one batch; returns how many rows were confirmed. Throws if any publish failed. */
  async relayOnce(): Promise<number> {
    const client = await this.options.pool.connect();
    let failure: Error | undefined;
    let published: number;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<PendingRow>(
        `SELECT id, exchange, routing_key, envelope, headers FROM messaging_outbox
          WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      // Published concurrently on one channel: the broker still sees them in id order.
      const results = await Promise.allSettled(
        rows.map((row) =>
          this.options.publisher.publish({
            exchange: row.exchange,
            routingKey: row.routing_key,
            content: Buffer.from(JSON.stringify(row.envelope)),
            options: eventProperties(row.envelope, row.headers),
          }),
        ),
      );
      const confirmed = rows.filter((_, index) => results[index]?.status === 'fulfilled').map((row) => row.id);
      const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (confirmed.length > 0) {
        await client.query('UPDATE messaging_outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])', [
          confirmed,
        ]);
      }
      if (rejected) {
        failure = rejected.reason instanceof Error ? rejected.reason : new Error(String(rejected.reason));
        const failed = rows.filter((row) => !confirmed.includes(row.id)).map((row) => row.id);
        await client.query('UPDATE messaging_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])', [
          failed,
          failure.message,
        ]);
      }
      await client.query('COMMIT');
      published = confirmed.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    if (failure) throw failure;
    return published;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let published = 0;
      try {
        published = await this.relayOnce();
        if (failures > 0) this.logger.info('outbox relay recovered');
        failures = 0;
      } catch (error) {
        failures += 1;
        this.logger.warn('outbox relay could not publish; will retry', { error, failures });
      }
      if (published >= this.batchSize) continue;
      const backoff = failures > 0 ? Math.min(this.maxBackoffMs, 250 * 2 ** Math.min(failures, 10)) : this.pollIntervalMs;
      await this.wakeup.sleep(backoff);
    }
  }

  /** LISTENs for commits of new rows; reconnects if its connection drops. */
  private async listen(): Promise<void> {
    while (!this.stopped) {
      try {
        const client = await this.options.pool.connect();
        await new Promise<void>((resolve, reject) => {
          this.stopListening = resolve;
          client.on('notification', () => this.wakeup.wake());
          client.on('error', reject);
          client.on('end', () => resolve());
          client.query(`LISTEN ${outboxChannel}`).catch(reject);
          if (this.stopped) resolve();
        }).finally(() => {
          this.stopListening = undefined;
          // Destroyed rather than pooled: a LISTENing session must not serve queries.
          client.release(true);
        });
      } catch (error) {
        if (!this.stopped) this.logger.warn('outbox LISTEN connection lost; polling until it is back', { error });
      }
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
