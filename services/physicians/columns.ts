import { text } from 'drizzle-orm/pg-core';

/** A physician's own columns, the same in the write table and in every read view. */
export const physicianColumns = {
  name: text('name').notNull(),
  specialty: text('specialty').notNull(),
  licenseNumber: text('license_number'),
};
