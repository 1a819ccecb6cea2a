import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { isConsultationEvent, type PayloadOf } from '../../libraries/events/catalog';
import type { ConsultationSnapshot } from '../../libraries/events/consultations';
import type { RecordSnapshot } from '../../libraries/events/records';
import type { Database } from '../../libraries/db/pool';
import { upsertIfNewer } from '../../libraries/db/upsert';
import type { Executor } from '../../libraries/db/executor';
import type { TransactionalHandler } from '../../libraries/messaging/inbox';
import { consultationStatusView, recordView, voidedRecords } from './read-schema';

/**
 * Keeps this instance's record_view current from record events and the
 * consultation status from consultation events. Older snapshots are ignored;
 * voiding is final.
 */
export const recordsProjection: TransactionalHandler<Database> = async (event, tx) => {
  if (isConsultationEvent(event)) return projectConsultationStatus(tx, event.payload);
  switch (event.eventType) {
    case 'ConsultationRecordCreated':
    case 'ConsultationRecordUpdated':
      return projectRecord(tx, event.payload);
    case 'ConsultationRecordsVoided':
      return projectVoiding(tx, event.payload);
    default:
      return; // the queue hears record.* and consultation.# only
  }
};

/**
 * The consumer applies several deliveries at once. Everything touching one
 * consultation's rows takes this lock first, so that a record and its
 * consultation's status (or its voiding) applied together cannot miss each other.
 */
async function lockConsultation(tx: Executor, consultationId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('record_view'), hashtext(${consultationId}))`);
}

async function projectRecord(tx: Executor, snapshot: RecordSnapshot): Promise<void> {
  await lockConsultation(tx, snapshot.consultationId);
  const [consultation] = await tx
    .select({ status: consultationStatusView.status })
    .from(consultationStatusView)
    .where(eq(consultationStatusView.consultationId, snapshot.consultationId));
  const [voiding] = await tx.select().from(voidedRecords).where(eq(voidedRecords.recordId, snapshot.recordId));
  const { recordId, createdAt, updatedAt, ...rest } = snapshot;
  await upsertIfNewer(
    tx,
    recordView,
    {
      id: recordId,
      ...rest,
      consultationStatus: consultation?.status ?? null,
      createdAt: new Date(createdAt),
      updatedAt: new Date(updatedAt),
      ...(voiding ? { status: 'VOIDED' as const, updatedAt: voiding.voidedAt } : {}),
    },
    { id: recordView.id, version: recordView.version },
  );
}

async function projectVoiding(
  tx: Executor,
  { consultationId, voidedRecordIds, voidedAt }: PayloadOf<'ConsultationRecordsVoided'>,
): Promise<void> {
  if (voidedRecordIds.length === 0) return;
  await lockConsultation(tx, consultationId);
  const at = new Date(voidedAt);
  await tx
    .insert(voidedRecords)
    .values(voidedRecordIds.map((recordId) => ({ recordId, consultationId, voidedAt: at })))
    .onConflictDoNothing();
  await tx
    .update(recordView)
    .set({ status: 'VOIDED', updatedAt: at })
    .where(and(inArray(recordView.id, voidedRecordIds), ne(recordView.status, 'VOIDED')));
}

async function projectConsultationStatus(tx: Executor, { consultationId, status, version }: ConsultationSnapshot): Promise<void> {
  await lockConsultation(tx, consultationId);
  // One statement, one round trip: the status upserted if newer, then the newest status seen
  // (this event's, or the stored one when this event came late) copied onto the records.
  await tx.execute(sql`
    WITH upserted AS (
      INSERT INTO ${consultationStatusView} (consultation_id, status, version)
      VALUES (${consultationId}, ${status}, ${version})
      ON CONFLICT (consultation_id) DO UPDATE SET status = excluded.status, version = excluded.version
        WHERE ${consultationStatusView.version} < excluded.version
      RETURNING status
    ),
    newest AS (
      SELECT COALESCE(
        (SELECT status FROM upserted),
        (SELECT status FROM ${consultationStatusView} WHERE consultation_id = ${consultationId})
      ) AS status
    )
    UPDATE ${recordView} SET consultation_status = newest.status
    FROM newest
    WHERE ${recordView.consultationId} = ${consultationId} AND ${recordView.consultationStatus} IS DISTINCT FROM newest.status`);
}
