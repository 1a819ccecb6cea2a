import type { EntityRow } from './columns';

type Stamped = Pick<EntityRow, 'id' | 'createdAt' | 'updatedAt'>;

/**
 * An entity travels in its events as a snapshot: the row with its id under
 * the entity's own name (`patientId`) and its instants as ISO strings.
 */
export type SnapshotOf<R extends Stamped, K extends string> = Record<K, string> &
  Omit<R, 'id' | 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };

export type ViewValuesOf<S, K extends string> = { id: string } & Omit<S, K | 'createdAt' | 'updatedAt'> & {
    createdAt: Date;
    updatedAt: Date;
  };

export function toSnapshot<R extends Stamped, K extends string>(row: R, snapshotId: K): SnapshotOf<R, K> {
  const { id, createdAt, updatedAt, ...rest } = row;
  return { [snapshotId]: id, ...rest, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() } as SnapshotOf<R, K>;
}

/** The inverse, for a read view: the row a snapshot describes. */
export function fromSnapshot<S extends Record<K | 'createdAt' | 'updatedAt', string>, K extends string>(
  snapshot: S,
  snapshotId: K,
): ViewValuesOf<S, K> {
  const { [snapshotId]: id, createdAt, updatedAt, ...rest } = snapshot;
  return { id, ...rest, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) } as ViewValuesOf<S, K>;
}
