import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** One instance's view of physicians, fed only by physician events from its own queue. */
export const physicianView = pgTable(
  'physician_view',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    specialty: text('specialty').notNull(),
    licenseNumber: text('license_number'),
    status: text('status', { enum: ['ACTIVE', 'INACTIVE'] }).notNull(),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('physician_view_status_idx').on(table.status), index('physician_view_specialty_idx').on(table.specialty)],
);
