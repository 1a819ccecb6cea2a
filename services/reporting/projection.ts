import { sql } from 'drizzle-orm';
import { isConsultationEvent, type DomainEvent } from '../../events/catalog';
import type { ConsultationSnapshot } from '../../events/consultations';
import type { PhysicianSnapshot } from '../../events/physicians';
import type { Database } from '../../db/pool';
import type { Executor } from '../../db/executor';
import { upsertIfNewer } from '../../db/upsert';
import type { TransactionalHandler } from '../../messaging/inbox';
import { consultationFacts, physicianSpecialties, recordChanges } from './read-schema';

/**
 * Keeps this instance's facts from consultation, physician and record events.
 * Each write is one statement that converges whatever the order of delivery:
 * the newest snapshot's status wins, the booking time is the earliest event's,
 * the time scheduled is ConsultationScheduled's, a record change is kept once.
 */
export const reportingProjection: TransactionalHandler<Database> = async (event, tx) => {
  if (isConsultationEvent(event)) {
    return projectConsultation(tx, event.payload, new Date(event.occurredAt), event.eventType === 'ConsultationScheduled');
  }
  switch (event.eventType) {
    case 'PhysicianRegistered':
    case 'PhysicianUpdated':
    case 'PhysicianDeactivated':
      return projectSpecialty(tx, event.payload);
    case 'ConsultationRecordCreated':
    case 'ConsultationRecordUpdated':
      return keepRecordChanges(
        tx,
        event,
        [event.payload.recordId],
        event.eventType === 'ConsultationRecordCreated' ? 'created' : 'updated',
      );
    case 'ConsultationRecordsVoided':
      return keepRecordChanges(tx, event, event.payload.voidedRecordIds, 'voided', new Date(event.payload.voidedAt));
    default:
      return; // the queue hears consultation.#, physician.* and record.* only
  }
};

async function projectConsultation(tx: Executor, snapshot: ConsultationSnapshot, occurredAt: Date, scheduled: boolean): Promise<void> {
  const newer = sql`${consultationFacts.version} < excluded.version`;
  await tx
    .insert(consultationFacts)
    .values({
      id: snapshot.consultationId,
      physicianId: snapshot.physicianId,
      status: snapshot.status,
      statusReason: snapshot.statusReason,
      version: snapshot.version,
      bookedAt: occurredAt,
      scheduledAt: scheduled ? occurredAt : null,
    })
    .onConflictDoUpdate({
      target: consultationFacts.id,
      set: {
        status: sql`CASE WHEN ${newer} THEN excluded.status ELSE ${consultationFacts.status} END`,
        statusReason: sql`CASE WHEN ${newer} THEN excluded.status_reason ELSE ${consultationFacts.statusReason} END`,
        version: sql`GREATEST(${consultationFacts.version}, excluded.version)`,
        bookedAt: sql`LEAST(${consultationFacts.bookedAt}, excluded.booked_at)`,
        scheduledAt: sql`COALESCE(${consultationFacts.scheduledAt}, excluded.scheduled_at)`,
      },
    });
}

async function projectSpecialty(tx: Executor, { physicianId, specialty, version }: PhysicianSnapshot): Promise<void> {
  await upsertIfNewer(
    tx,
    physicianSpecialties,
    { physicianId, specialty, version },
    { id: physicianSpecialties.physicianId, version: physicianSpecialties.version },
  );
}

async function keepRecordChanges(
  tx: Executor,
  event: DomainEvent,
  recordIds: readonly string[],
  kind: (typeof recordChanges.$inferInsert)['kind'],
  occurredAt = new Date(event.occurredAt),
): Promise<void> {
  if (recordIds.length === 0) return;
  await tx
    .insert(recordChanges)
    .values(recordIds.map((recordId) => ({ eventId: event.eventId, recordId, kind, occurredAt })))
    .onConflictDoNothing();
}
