import { ilike, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** Case-insensitive match of user text, its %, _ and \ taken literally; `contains` puts it anywhere in the value. */
export function matchesText(column: PgColumn, text: string, { contains = true } = {}): SQL {
  const escaped = text.replace(/[\\%_]/g, (char) => `\\${char}`);
  return ilike(column, contains ? `%${escaped}%` : escaped);
}
