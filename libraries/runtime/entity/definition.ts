import type { EventType, PayloadOf } from '../../events/catalog';
import type { SourceService } from '../../events/envelope';
import type { EntityStatuses, EntityTable, RowOf } from './columns';
import type { SnapshotOf, ViewValuesOf } from './snapshot';

/** The three events an entity's commands emit, each carrying the entity's snapshot. */
export interface EntityEvents {
  registered: EventType;
  updated: EventType;
  deactivated: EventType;
}

/** What the kit needs to know of an entity; a service declares one and derives commands, projection, queries and routes from it. */
export interface EntityDefinition<
  One extends string = string,
  Many extends string = string,
  T extends EntityTable = EntityTable,
  V extends EntityTable = EntityTable,
  E extends EntityEvents = EntityEvents,
  K extends string = string,
> {
  /** One and many of it, in messages (`patient <id> not found`), summaries, the path (`/patients`) and the tag. */
  names: { one: One; many: Many };
  sourceService: SourceService;
  /** The catalog's statuses, for the answers and the list filter. */
  statuses: EntityStatuses;
  /** The write table the commands change, shared by every instance. */
  table: T;
  /** This instance's read view, fed by the projection, read by the queries. */
  view: V;
  events: E;
  /** What the snapshot calls the id (`patientId`); every other column is named alike in row and snapshot. */
  snapshotId: K;
}

export type EntityEventType<E extends EntityEvents> = E['registered'] | E['updated'] | E['deactivated'];
export type EntitySnapshot<E extends EntityEvents> = PayloadOf<EntityEventType<E>>;

/** A compile-time check: `unknown` when Actual fits Expected, else a property nobody has, whose name says the problem. */
export type Fits<Actual, Expected, Problem extends string> = [Actual] extends [Expected] ? unknown : { problem: Problem };

// A compile error here says that table, view and events do not carry the same entity.
type Consistent<T extends EntityTable, V extends EntityTable, E extends EntityEvents, K extends string> = Fits<
  SnapshotOf<RowOf<T>, K>,
  EntitySnapshot<E>,
  "the write table's row, with the id renamed, is not the events' snapshot"
> &
  Fits<ViewValuesOf<EntitySnapshot<E>, K>, V['$inferInsert'], "the events' snapshot does not fit the read view">;

/** Declares an entity, checking at compile time that its row, its snapshot and its view agree. */
export function defineEntity<
  const One extends string,
  const Many extends string,
  T extends EntityTable,
  V extends EntityTable,
  const E extends EntityEvents,
  const K extends string,
>(definition: EntityDefinition<One, Many, T, V, E, K> & Consistent<T, V, E, K>): EntityDefinition<One, Many, T, V, E, K> {
  return definition;
}
