import type { z } from '@hono/zod-openapi';
import type { Owners } from '../../auth/guard';
import type { Database } from '../../db/pool';
import { createRouter } from '../../http/app';
import { consistencyHeader, formatConsistencyToken, readYourWrites, reaches } from '../../http/consistency';
import { idempotentCommands, respond } from '../../http/idempotency';
import { versionOf } from '../../db/version-of';
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
 * with the command. Every command answers a Consistency-Token; a read that
 * sends it back is answered once this instance's view shows that version,
 * and one naming a version the write model never had is a 400. Each route is
 * guarded as its operation in the access table; `owners` says whose an
 * entity is, for `own` grants.
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
  { databases, guard, config }: InstanceContext,
  owners: (read: Database, id: string) => Promise<Owners | undefined>,
) {
  const commands = entityCommands(entity);
  const write = databases.write.db;
  const read = databases.read.db;
  const once = idempotentCommands(databases.write);
  const resource = { resource: { kind: entity.names.one, owners: (id: string) => owners(read, id) } };
  const token = (row: { id: string; version: number }) => ({ [consistencyHeader]: formatConsistencyToken(row) });
  const caughtUp = readYourWrites(
    async (wanted) => reaches(await versionOf(read, { key: entity.view.id, version: entity.view.version }, wanted.id), wanted),
    config.CONSISTENCY_WAIT_MS,
    async (wanted) => reaches(await versionOf(write, { key: entity.table.id, version: entity.table.version }, wanted.id), wanted),
  );
  return createRouter()
    .openapi(guard(api.register), async (c) => {
      const input = c.req.valid('json') as NewEntity<T>;
      const answer = await once(c, input, async (db) => {
        const row = await commands.register(db, input, c.get('correlationId'));
        return { status: 201 as const, body: toResource(row), headers: { Location: `${api.register.path}/${row.id}`, ...token(row) } };
      });
      return declared(respond(c, answer));
    })
    .openapi(guard(api.get, resource), async (c) => {
      await caughtUp(c);
      return declared(c.json(toResource(await queries.get(read, c.req.valid('param').id)), 200));
    })
    .openapi(guard(api.list), async (c) => {
      await caughtUp(c);
      const rows = await queries.list(read, c.req.valid('query'));
      // Under an `own` grant a caller lists the one entity that is them.
      const { grant, principal } = c.get('access');
      const visible = grant === 'all' ? rows : rows.filter((row) => row.id === principal.subject);
      return declared(c.json({ items: visible.map(toResource) }, 200));
    })
    .openapi(guard(api.update, resource), async (c) => {
      const changes = c.req.valid('json') as EntityChanges<T>;
      const row = await commands.update(write, c.req.valid('param').id, changes, c.get('correlationId'));
      return declared(c.json(toResource(row), 200, token(row)));
    })
    .openapi(guard(api.deactivate, resource), async (c) => {
      const { id } = c.req.valid('param');
      const answer = await once(c, null, async (db) => {
        const row = await commands.deactivate(db, id, c.get('correlationId'));
        return { status: 200 as const, body: toResource(row), headers: token(row) };
      });
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
