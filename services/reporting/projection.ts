import { sql, type SQL } from 'drizzle-orm';
import { isConsultationEvent, type DomainEvent } from '../../libraries/events/catalog';
import type { ConsultationSnapshot } from '../../libraries/events/consultations';
import type { PhysicianSnapshot } from '../../libraries/events/physicians';
import type { Database } from '../../libraries/db/pool';
import type { Executor } from '../../libraries/db/executor';
import { upsertIfNewerStatement } from '../../libraries/db/upsert';
import type { Projection } from '../../libraries/messaging/inbox';
import { consultationFacts, physicianSpecialties, recordChanges } from './read-schema';

/**
 * Keeps this instance's facts from consultation, physician and record events.
 * Each write is one statement that converges whatever the order of delivery:
 * the newest snapshot's status wins, the booking time is the earliest event's,
 * the time scheduled is ConsultationScheduled's, a record change is kept once.
 * So each goes with its inbox claim as one statement.
 */
export const reportingProjection: Projection<Database> = {
  statement: (event, db, fresh) => {
    if (isConsultationEvent(event)) {
      return projectConsultation(db, fresh, event.payload, new Date(event.occurredAt), event.eventType === 'ConsultationScheduled');
    }
    switch (event.eventType) {
      case 'PhysicianRegistered':
      case 'PhysicianUpdated':
      case 'PhysicianDeactivated':
        return projectSpecialty(db, fresh, event.payload);
      case 'ConsultationRecordCreated':
      case 'ConsultationRecordUpdated':
        return keepRecordChanges(
          db,
          event,
          [event.payload.recordId],
          event.eventType === 'ConsultationRecordCreated' ? 'created' : 'updated',
        );
      case 'ConsultationRecordsVoided':
        return keepRecordChanges(db, event, event.payload.voidedRecordIds, 'voided', new Date(event.payload.voidedAt));
      default:
        return undefined; // the queue hears consultation.#, physician.* and record.* only
    }
  },
};

function projectConsultation(db: Executor, fresh: SQL, snapshot: ConsultationSnapshot, occurredAt: Date, scheduled: boolean) {
  const newer = sql`${consultationFacts.version} < excluded.version`;
  return db
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
      setWhere: fresh,
    });
}

function projectSpecialty(db: Executor, fresh: SQL, { physicianId, specialty, version }: PhysicianSnapshot) {
  return upsertIfNewerStatement(
    db,
    physicianSpecialties,
    { physicianId, specialty, version },
    { id: physicianSpecialties.physicianId, version: physicianSpecialties.version },
    fresh,
  );
}

function keepRecordChanges(
  db: Executor,
  event: DomainEvent,
  recordIds: readonly string[],
  kind: (typeof recordChanges.$inferInsert)['kind'],
  occurredAt = new Date(event.occurredAt),
) {
  if (recordIds.length === 0) return undefined;
  return db
    .insert(recordChanges)
    .values(recordIds.map((recordId) => ({ eventId: event.eventId, recordId, kind, occurredAt })))
    .onConflictDoNothing();
}
