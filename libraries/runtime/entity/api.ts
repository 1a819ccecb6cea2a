import { createRoute, z } from '@hono/zod-openapi';
import type { Operation } from '../../auth/policy';
import { secured } from '../../auth/secured';
import { consistencyTokenParameter } from '../../http/consistency';
import { changes } from '../../http/refinements';
import { errorResponses, idParam, jsonBody, jsonContent, listContent } from '../../http/schemas';
import type { EntityStatuses, EntityTable, RowOf } from './columns';
import type { NewEntity } from './commands';
import type { EntityDefinition, EntityEvents, Fits } from './definition';
import type { ResourceOf } from './resource';

export interface EntitySchemas<Fields extends z.ZodRawShape, New extends Record<string, z.ZodType>, Filters extends z.ZodRawShape> {
  /** The entity's own fields as answers show them; id, status and the instants are added. */
  fields: Fields;
  /** The fields a registration sends; a change sends any of them, and at least one. */
  create: New;
  /** The list's query parameters besides `status`. */
  filters: Filters;
  /** Each route's operation in the access table (libraries/auth/policy.ts). */
  access: Record<'register' | 'get' | 'list' | 'update' | 'deactivate', Operation>;
}

type Optional<S extends Record<string, z.ZodType>> = { [Key in keyof S]: z.ZodOptional<S[Key]> };

type StatusShape = { status: z.ZodOptional<z.ZodEnum<{ [S in EntityStatuses[number]]: S }>> };

/**
 * The list's query: the entity's own filters and its status. Typed by hand,
 * without z.object's mapped type, so that entityRoutes can infer the filters
 * back from the route, and typed clients see every parameter.
 */
export function listQuery<Filters extends z.ZodRawShape>(filters: Filters, statuses: EntityStatuses): z.ZodObject<Filters & StatusShape> {
  return z.object({ ...filters, status: z.enum(statuses).optional() });
}
export type ListQuery<Filters extends z.ZodRawShape> = z.output<ReturnType<typeof listQuery<Filters>>>;

/** The resource as answers carry it: id, the entity's own fields, its status and instants. */
function resourceSchema<Fields extends z.ZodRawShape>(fields: Fields, statuses: EntityStatuses) {
  return z.object({ id: z.uuid(), ...fields, status: z.enum(statuses), createdAt: z.string(), updatedAt: z.string() });
}

// A compile error here says that the schemas do not describe the entity's table.
type Describes<T extends EntityTable, V extends EntityTable, Fields extends z.ZodRawShape, New extends Record<string, z.ZodType>> = Fits<
  z.output<z.ZodObject<New>>,
  NewEntity<T>,
  'a registration is not what the table takes'
> &
  Fits<
    ResourceOf<RowOf<T>> | ResourceOf<RowOf<V>>,
    z.input<ReturnType<typeof resourceSchema<Fields>>>,
    'the table is not what answers show'
  >;

const capitalized = <W extends string>(word: W) => (word.charAt(0).toUpperCase() + word.slice(1)) as Capitalize<W>;
const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/**
 * The five routes every entity has, documented alike: register, get, list,
 * change and deactivate at `/<many>`. Schema names follow the entity's name:
 * `Patient`, `NewPatient`, `PatientChanges`.
 */
export function entityApi<
  One extends string,
  Many extends string,
  T extends EntityTable,
  V extends EntityTable,
  E extends EntityEvents,
  Fields extends z.ZodRawShape,
  New extends Record<string, z.ZodType>,
  Filters extends z.ZodRawShape,
>(
  entity: EntityDefinition<One, Many, T, V, E>,
  { fields, create, filters, access }: EntitySchemas<Fields, New, Filters> & Describes<T, V, Fields, New>,
) {
  const { one, many } = entity.names;
  const One = capitalized(one);
  const a = `${article(one)} ${one}`;
  const path = `/${many}` as const;
  const tags = [many];

  const resource = resourceSchema(fields, entity.statuses).openapi(One);
  const registration = z.object(create).strict().openapi(`New${One}`);
  const optional = Object.fromEntries(Object.entries(create).map(([key, schema]) => [key, schema.optional()])) as Optional<New>;
  const change = changes(optional).openapi(`${One}Changes`);
  const query = listQuery(filters, entity.statuses);

  return {
    register: createRoute(
      secured(access.register, {
        method: 'post',
        path,
        tags,
        summary: `Register ${a} (emits ${entity.events.registered})`,
        request: { body: jsonBody(registration) },
        responses: { 201: jsonContent(resource, `the registered ${one}`), ...errorResponses(400, 413, 503) },
      }),
    ),
    get: createRoute(
      secured(access.get, {
        method: 'get',
        path: `${path}/{id}`,
        tags,
        summary: `${capitalized(a)}, from this instance's read model (with a Consistency-Token, once it shows that version)`,
        parameters: [consistencyTokenParameter],
        request: { params: idParam },
        responses: { 200: jsonContent(resource, `the ${one}`), ...errorResponses(400, 404, 503) },
      }),
    ),
    list: createRoute(
      secured(access.list, {
        method: 'get',
        path,
        tags,
        summary: `${capitalized(many)}, from this instance's read model (with a Consistency-Token, once it shows that version)`,
        parameters: [consistencyTokenParameter],
        request: { query },
        responses: { 200: listContent(resource, `matching ${many}`), ...errorResponses(400, 503) },
      }),
    ),
    update: createRoute(
      secured(access.update, {
        method: 'patch',
        path: `${path}/{id}`,
        tags,
        summary: `Change ${a} (emits ${entity.events.updated})`,
        request: { params: idParam, body: jsonBody(change) },
        responses: { 200: jsonContent(resource, `the ${one} as it is now`), ...errorResponses(400, 404, 413, 503) },
      }),
    ),
    deactivate: createRoute(
      secured(access.deactivate, {
        method: 'post',
        path: `${path}/{id}/deactivate`,
        tags,
        summary: `Deactivate ${a} (emits ${entity.events.deactivated}); repeating it is harmless`,
        request: { params: idParam },
        responses: { 200: jsonContent(resource, `the ${one}, INACTIVE`), ...errorResponses(400, 404, 503) },
      }),
    ),
  };
}
