import { eq } from 'drizzle-orm';
import { definedOnly } from '../../db/changes';
import type { Executor } from '../../db/executor';
import { createEvent, type DomainEvent } from '../../events/catalog';
import { NotFoundError } from '../../common/domain-errors';
import { enqueueEvents } from '../../messaging/outbox';
import type { EntityColumnName, EntityTable, RowOf } from './columns';
import type { EntityDefinition, EntityEvents, EntityEventType, EntitySnapshot } from './definition';
import { toSnapshot } from './snapshot';

/** A registration: the entity's own fields; the kit sets id, status, version and the instants. */
export type NewEntity<T extends EntityTable> = Omit<T['$inferInsert'], EntityColumnName>;
/** A change: any of the entity's own fields; undefined leaves a field as it is, null clears it. */
export type EntityChanges<T extends EntityTable> = Partial<NewEntity<T>>;

export interface EntityCommands<T extends EntityTable> {
  /** Inserts the entity ACTIVE at version 1 and emits its registered event. */
  register: (db: Executor, input: NewEntity<T>, correlationId: string) => Promise<RowOf<T>>;
  /** Applies the changes and emits the updated event; NotFoundError when it does not exist. */
  update: (db: Executor, id: string, changes: EntityChanges<T>, correlationId: string) => Promise<RowOf<T>>;
  /** INACTIVE and the deactivated event; repeating it changes nothing and emits nothing. NotFoundError when it does not exist. */
  deactivate: (db: Executor, id: string, correlationId: string) => Promise<RowOf<T>>;
}

type CommandsOf<T extends EntityTable, E extends EntityEvents, K extends string> = Pick<
  EntityDefinition<string, string, T, EntityTable, E, K>,
  'names' | 'sourceService' | 'table' | 'events' | 'snapshotId'
>;

/** The entity's commands: each one transaction that changes the write table and puts its event in the outbox. */
export function entityCommands<T extends EntityTable, E extends EntityEvents, K extends string>(
  entity: CommandsOf<T, E, K>,
): EntityCommands<T> {
  const { table, events, sourceService, snapshotId } = entity;

  const emit = (tx: Executor, type: EntityEventType<E>, row: RowOf<T>, correlationId: string) => {
    // defineEntity checked that the row's snapshot is the event's payload; createEvent validates it again.
    const event = createEvent(type, toSnapshot(row, snapshotId) as EntitySnapshot<E>, { sourceService }) as DomainEvent;
    return enqueueEvents(tx, [event], { correlationId });
  };

  // The row lock orders concurrent commands on one entity, so versions never collide.
  const lock = async (tx: Executor, id: string): Promise<RowOf<T>> => {
    const [current] = (await tx
      .select()
      .from(table as EntityTable)
      .where(eq(table.id, id))
      .for('update')) as RowOf<T>[];
    if (!current) throw new NotFoundError(entity.names.one, id);
    return current;
  };

  const save = async (tx: Executor, current: RowOf<T>, set: object): Promise<RowOf<T>> => {
    const next = { ...set, version: current.version + 1, updatedAt: new Date() };
    const [row] = (await tx
      .update(table as EntityTable)
      .set(next)
      .where(eq(table.id, current.id))
      .returning()) as RowOf<T>[];
    return row!;
  };

  return {
    register: (db, input, correlationId) =>
      db.transaction(async (tx) => {
        const now = new Date();
        const values = { ...input, id: crypto.randomUUID(), status: 'ACTIVE', version: 1, createdAt: now, updatedAt: now };
        const [row] = (await tx
          .insert(table)
          .values(values as T['$inferInsert'])
          .returning()) as RowOf<T>[];
        await emit(tx, events.registered as EntityEventType<E>, row!, correlationId);
        return row!;
      }),

    update: (db, id, changes, correlationId) =>
      db.transaction(async (tx) => {
        const row = await save(tx, await lock(tx, id), definedOnly(changes));
        await emit(tx, events.updated as EntityEventType<E>, row, correlationId);
        return row;
      }),

    deactivate: (db, id, correlationId) =>
      db.transaction(async (tx) => {
        const current = await lock(tx, id);
        if (current.status === 'INACTIVE') return current;
        const row = await save(tx, current, { status: 'INACTIVE' });
        await emit(tx, events.deactivated as EntityEventType<E>, row, correlationId);
        return row;
      }),
  };
}
