import { date, text } from 'drizzle-orm/pg-core';

/** A patient's own columns, the same in the write table and in every read view. */
export const patientColumns = {
  name: text('name').notNull(),
  email: text('email').notNull(),
  birthDate: date('birth_date', { mode: 'string' }),
  phone: text('phone'),
};
