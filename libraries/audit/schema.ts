import { bigserial, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The access audit of one service, in its write database: every read and
 * write of health data it serves, allowed or refused (libraries/auth/policy.ts says
 * which operations). Rows are only ever added.
 */
export const accessAudit = pgTable(
  'access_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    subject: text('subject').notNull(),
    role: text('role'),
    operation: text('operation').notNull(),
    /** The patient or record concerned; null for a refused list. */
    resourceId: text('resource_id'),
    correlationId: text('correlation_id').notNull(),
    outcome: text('outcome', { enum: ['allowed', 'refused', 'failed'] }).notNull(),
    status: integer('status').notNull(),
  },
  (table) => [
    index('access_audit_at_idx').on(table.at),
    index('access_audit_resource_idx').on(table.resourceId, table.at),
    index('access_audit_subject_idx').on(table.subject, table.at),
  ],
);
