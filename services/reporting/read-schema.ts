import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { consultationStatusReasons, consultationStatuses } from '../../libraries/events/consultations';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One row per consultation this instance has heard of: what the reports count.
 * No patient, no reason for the visit: aggregates need neither. The status is
 * that of the newest snapshot applied; the times are those of the events.
 */
export const consultationFacts = pgTable(
  'consultation_facts',
  {
    id: uuid('id').primaryKey(),
    physicianId: uuid('physician_id').notNull(),
    status: text('status', { enum: consultationStatuses }).notNull(),
    statusReason: text('status_reason', { enum: consultationStatusReasons }),
    version: integer('version').notNull(),
    /** When it was booked: the earliest event of it this instance has seen (its saga's first). */
    bookedAt: at('booked_at').notNull(),
    /** When ConsultationScheduled was published; null if it never was. */
    scheduledAt: at('scheduled_at'),
  },
  (table) => [index('consultation_facts_booked_at_idx').on(table.bookedAt)],
);

/** Each physician's specialty, for reports grouped by specialty. */
export const physicianSpecialties = pgTable('physician_specialties', {
  physicianId: uuid('physician_id').primaryKey(),
  specialty: text('specialty').notNull(),
  version: integer('version').notNull(),
});

export const recordChangeKinds = ['created', 'updated', 'voided'] as const;

/**
 * What happened to records, one row per record per event: counted by kind
 * over a time range. Keyed by event, so a replayed event adds nothing.
 */
export const recordChanges = pgTable(
  'record_changes',
  {
    eventId: uuid('event_id').notNull(),
    recordId: uuid('record_id').notNull(),
    kind: text('kind', { enum: recordChangeKinds }).notNull(),
    occurredAt: at('occurred_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.eventId, table.recordId] }), index('record_changes_occurred_at_idx').on(table.occurredAt)],
);
