import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { DomainEvent } from '../events/catalog';
import type { DeliveryContext, EventHandler } from './consumer';
import type { Executor, TransactionOf } from '../db/executor';
import { inbox } from './schema';

export type TransactionalHandler<D extends Executor> = (
  event: DomainEvent,
  tx: TransactionOf<D>,
  context: DeliveryContext,
) => Promise<void>;

/**
 * Makes a handler idempotent: the event id is recorded for this consumer in
 * the same transaction as the handler's writes, so a redelivery, a retry or a
 * duplicate publish finds the row and changes nothing. A concurrent duplicate
 * waits on the first one's row lock and then finds it too.
 */
export function idempotent<D extends Executor>(db: D, consumer: string, handler: TransactionalHandler<D>): EventHandler {
  return async (event, context) =>
    db.transaction(async (tx) => {
      const claimed = await tx
        .insert(inbox)
        .values({ consumer, eventId: event.eventId, eventType: event.eventType })
        .onConflictDoNothing()
        .returning({ eventId: inbox.eventId });
      if (claimed.length === 0) {
        context.logger.debug('duplicate event ignored', { consumer });
        return 'duplicate' as const;
      }
      await handler(event, tx as TransactionOf<D>, context);
      return undefined;
    });
}

/**
 * A projection that is one statement per event (a versioned upsert, an
 * insert that ignores a conflict): it builds the statement on `db` and leaves
 * running it to idempotentStatement; undefined for an event it does not
 * project. `fresh` is true only when this delivery claimed the event: a
 * statement that updates a row puts it in its ON CONFLICT … WHERE, so an id
 * seen before changes nothing even when its payload differs.
 */
export type StatementProjection<D extends Executor> = (event: DomainEvent, db: D, fresh: SQL) => SQLWrapper | undefined;

/** A read model's projection: a handler run in a transaction, or one statement per event (the cheaper, where it fits). */
export type Projection<D extends Executor> = TransactionalHandler<D> | { statement: StatementProjection<D> };

/**
 * idempotent in one round trip instead of four (begin, claim, write,
 * commit): the inbox claim and the projection's statement go as one
 * statement, two data-modifying CTEs that commit together. For a duplicate
 * the claim returns nothing, so `fresh` is false and an update guarded by it
 * does not happen; its insert finds the first delivery's row and turns into
 * that update (a read model emptied for a rebuild loses its inbox with it).
 * Unlike the transaction, an id reused for a row never written would still
 * insert it: ids are random UUIDs their senders make, so that is a sender's
 * bug, not a redelivery. A concurrent duplicate waits on the first one's
 * inbox row, as in a transaction.
 */
export function idempotentStatement<D extends Executor>(db: D, consumer: string, project: StatementProjection<D>): EventHandler {
  return async (event, context) => {
    const claim = db
      .insert(inbox)
      .values({ consumer, eventId: event.eventId, eventType: event.eventType })
      .onConflictDoNothing()
      .returning({ eventId: inbox.eventId })
      .getSQL();
    const statement = project(event, db, sql`EXISTS (SELECT 1 FROM claimed)`);
    const { rows } = await db.execute<{ claimed: number }>(
      statement
        ? sql`WITH claimed AS (${claim}), applied AS (${statement.getSQL()}) SELECT count(*)::int AS claimed FROM claimed`
        : sql`WITH claimed AS (${claim}) SELECT count(*)::int AS claimed FROM claimed`,
    );
    if (rows[0]?.claimed === 0) {
      context.logger.debug('duplicate event ignored', { consumer });
      return 'duplicate';
    }
    return undefined;
  };
}

/** The handler that applies a projection idempotently, in the way it was written. */
export function idempotentProjection<D extends Executor>(db: D, consumer: string, projection: Projection<D>): EventHandler {
  return typeof projection === 'function' ? idempotent(db, consumer, projection) : idempotentStatement(db, consumer, projection.statement);
}
