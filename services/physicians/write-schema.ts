import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { physicianStatuses } from '../../libraries/events/physicians';
import { entityColumns } from '../../libraries/runtime/entity';
import { physicianColumns } from './columns';

/** The physicians write model: the truth, shared by every instance of the service. */
export const physicians = pgTable('physicians', entityColumns(physicianStatuses, physicianColumns));
export type PhysicianRow = typeof physicians.$inferSelect;

/**
 * RELEASED: freed by a compensation (the consultation was rejected or cancelled).
 * EXPIRED: a hold nobody confirmed or released in time, freed by physicians itself
 * (slot-expiry.ts); a confirmation that still arrives takes the time back if it is free.
 */
export const slotStatuses = ['HELD', 'CONFIRMED', 'RELEASED', 'EXPIRED'] as const;
export type SlotStatus = (typeof slotStatuses)[number];
/** The statuses in which a slot takes the physician's time. */
export const takenStatuses = ['HELD', 'CONFIRMED'] as const satisfies readonly SlotStatus[];

/**
 * A consultation's claim on a physician's time, one row per consultation.
 * HELD and CONFIRMED rows of one physician never overlap: the exclusion
 * constraint that guarantees it lives in a custom migration (drizzle-kit
 * cannot express EXCLUDE), see migrations/write.
 * No foreign key to physicians: a release may arrive for a slot never held
 * (see saga-participant.ts) and is still recorded.
 */
export const physicianSlots = pgTable(
  'physician_slots',
  {
    consultationId: uuid('consultation_id').primaryKey(),
    physicianId: uuid('physician_id').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: text('status', { enum: slotStatuses }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The version of the consultation event that last changed the slot: how far a Consistency-Token of it has reached here. */
    consultationVersion: integer('consultation_version').notNull().default(0),
  },
  // The exclusion constraint's GiST index also serves lookups by physician_id.
  (table) => [check('physician_slots_time_order', sql`${table.endsAt} > ${table.startsAt}`)],
);
export type SlotRow = typeof physicianSlots.$inferSelect;
export type TakenSlot = SlotRow & { status: (typeof takenStatuses)[number] };
