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
