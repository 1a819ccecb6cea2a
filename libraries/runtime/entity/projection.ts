import type { Database } from '../../db/pool';
import { upsertIfNewerStatement } from '../../db/upsert';
import type { StatementProjection } from '../../messaging/inbox';
import type { EntityTable } from './columns';
import type { EntityDefinition, EntityEvents, EntitySnapshot } from './definition';
import { fromSnapshot } from './snapshot';

type ProjectionOf<V extends EntityTable, E extends EntityEvents, K extends string> = Pick<
  EntityDefinition<string, string, EntityTable, V, E, K>,
  'view' | 'events' | 'snapshotId'
>;

/** Keeps this instance's read view current from the entity's three events, one upsert each; older snapshots are ignored. */
export function entityProjection<V extends EntityTable, E extends EntityEvents, K extends string>(
  entity: ProjectionOf<V, E, K>,
): StatementProjection<Database> {
  const { view, events, snapshotId } = entity;
  const projected = new Set<string>([events.registered, events.updated, events.deactivated]);

  return (event, db, fresh) => {
    if (!projected.has(event.eventType)) return undefined; // the instance queue hears the entity's events only; anything else is not ours to project
    // One of the entity's events; defineEntity checked that its snapshot, the id renamed, fits the view.
    const snapshot = event.payload as EntitySnapshot<E> & Record<K | 'createdAt' | 'updatedAt', string>;
    const values = fromSnapshot(snapshot, snapshotId) as V['$inferInsert'];
    return upsertIfNewerStatement(db, view, values, { id: view.id, version: view.version }, fresh);
  };
}
