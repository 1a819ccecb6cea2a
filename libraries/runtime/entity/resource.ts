import type { EntityRow } from './columns';

type Versioned = Pick<EntityRow, 'version' | 'createdAt' | 'updatedAt'>;

/** An entity as docs/api.md shows it: the row without its version, instants as ISO strings. */
export type ResourceOf<R extends Versioned> = Omit<R, 'version' | 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };

/** Keys keep the row's (the table's column) order: JSON answers list the fields as they always did. */
export function toResource<R extends Versioned>(row: R): ResourceOf<R> {
  const { version: _version, ...rest } = row;
  return { ...rest, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() } as ResourceOf<R>;
}
