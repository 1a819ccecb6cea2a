import type { Guard } from '../../auth/guard';
import { createRouter } from '../../http/app';
import { ApiError } from '../../http/errors';
import type { DeadLetterStore, Selection } from '../../messaging/dead-letter-store';
import { dlqName } from '../../messaging/topology';
import { listRoute, purgeRoute, replayRoute, showRoute } from './api';

/**
 * GET /admin/dlq… on an instance: the DLQs of the queues it consumes, looked
 * at, replayed and purged with its own broker login, the one that consumes
 * the queue, so a replayed message passes the consumer's sender check the way
 * a retry does. The gateway spreads these over every instance.
 */
export function deadLetterRoutes(guard: Guard, store: DeadLetterStore, queues: readonly string[]) {
  const own = new Set(queues.map(dlqName));
  const dlqOf = (queue: string) => {
    const dlq = queue.endsWith('.dlq') ? queue : dlqName(queue);
    if (!own.has(dlq)) throw new ApiError(404, 'NOT_FOUND', `${queue} is not a queue of this instance`);
    return dlq;
  };
  const selectionOf = (body: { id?: string | undefined; all?: true | undefined }): Selection => (body.all ? 'all' : { id: body.id! });
  return createRouter()
    .openapi(guard(listRoute), async (c) => c.json({ items: await store.list(queues) }, 200))
    .openapi(guard(showRoute), async (c) => {
      const dlq = dlqOf(c.req.valid('param').queue);
      return c.json({ items: await store.show(dlq, c.req.valid('query').limit) }, 200);
    })
    .openapi(guard(replayRoute), async (c) => {
      const dlq = dlqOf(c.req.valid('param').queue);
      const body = c.req.valid('json');
      return c.json(await store.replay(dlq, selectionOf(body), { dryRun: body.dryRun }), 200);
    })
    .openapi(guard(purgeRoute), async (c) => {
      const dlq = dlqOf(c.req.valid('param').queue);
      return c.json({ purged: await store.purge(dlq, selectionOf(c.req.valid('json'))) }, 200);
    });
}

/** The dead-letter API, for typed clients. */
export type DeadLetterApp = ReturnType<typeof deadLetterRoutes>;
