import { date, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The patients write model: the truth, shared by every instance of the service. */
export const patients = pgTable('patients', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull(),
  birthDate: date('birth_date', { mode: 'string' }),
  phone: text('phone'),
  status: text('status', { enum: ['ACTIVE', 'INACTIVE'] }).notNull(),
  version: integer('version').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});
export type PatientRow = typeof patients.$inferSelect;
