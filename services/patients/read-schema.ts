import { date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** One instance's view of patients, fed only by patient events from its own queue. */
export const patientView = pgTable(
  'patient_view',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    birthDate: date('birth_date', { mode: 'string' }),
    phone: text('phone'),
    status: text('status', { enum: ['ACTIVE', 'INACTIVE'] }).notNull(),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('patient_view_status_idx').on(table.status)],
);
