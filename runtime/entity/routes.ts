import type { z } from '@hono/zod-openapi';
import { createRouter } from '../../http/app';
import { idempotentCommands, respond } from '../../http/idempotency';
import type { InstanceContext } from '../service-instance';
import type { entityApi, ListQuery } from './api';
import type { EntityTable } from './columns';
import { entityCommands, type EntityChanges, type NewEntity } from './commands';
import type { EntityDefinition, EntityEvents } from './definition';
import type { EntityQueries } from './queries';
import { toResource } from './resource';

/**
 * The five standard routes as a chained sub-app; a service may chain more.
 * Commands write the shared write database; queries read this instance's
 * read view only. POSTs run once per Idempotency-Key, the answer committed
 * with the command.
 */
export function entityRoutes<
  One extends string,
  Many extends string,
  T extends EntityTable,
  V extends EntityTable,
  E extends EntityEvents,
  K extends string,
  Fields extends z.ZodRawShape,
  New extends Record<string, z.ZodType>,
  Filters extends z.ZodRawShape,
>(
  entity: EntityDefinition<One, Many, T, V, E, K>,
  api: ReturnType<typeof entityApi<One, Many, T, V, E, Fields, New, Filters>>,
  queries: EntityQueries<V, ListQuery<Filters>>,
  { databases }: InstanceContext,
) {
  const commands = entityCommands(entity);
  const write = databases.write.db;
  const read = databases.read.db;
  const once = idempotentCommands(databases.write);
  return createRouter()
    .openapi(api.register, async (c) => {
      const input = c.req.valid('json') as NewEntity<T>;
      const answer = await once(c, input, async (db) => {
        const row = await commands.register(db, input, c.get('correlationId'));
        return { status: 201 as const, body: toResource(row), headers: { Location: `${api.register.path}/${row.id}` } };
      });
      return declared(respond(c, answer));
    })
    .openapi(api.get, async (c) => declared(c.json(toResource(await queries.get(read, c.req.valid('param').id)), 200)))
    .openapi(api.list, async (c) => declared(c.json({ items: (await queries.list(read, c.req.valid('query'))).map(toResource) }, 200)))
    .openapi(api.update, async (c) => {
      const changes = c.req.valid('json') as EntityChanges<T>;
      return declared(c.json(toResource(await commands.update(write, c.req.valid('param').id, changes, c.get('correlationId'))), 200));
    })
    .openapi(api.deactivate, async (c) => {
      const { id } = c.req.valid('param');
      const answer = await once(c, null, async (db) => ({
        status: 200 as const,
        body: toResource(await commands.deactivate(db, id, c.get('correlationId'))),
      }));
      return declared(respond(c, answer));
    });
}

/**
 * hono checks a handler's answer against its route's response schema, which
 * TypeScript cannot work out while the routes are generic. entityApi checked
 * that the schemas describe the entity's rows (so the casts to NewEntity and
 * EntityChanges hold too); the answer is what the route declares.
 */
const declared = (response: Response): never => response as never;
