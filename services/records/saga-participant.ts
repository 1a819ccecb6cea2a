import { and, asc, eq, sql } from 'drizzle-orm';
import { createEvent, type PayloadOf } from '../../libraries/events/catalog';
import type { ConsultationSnapshot } from '../../libraries/events/consultations';
import { PermanentError } from '../../libraries/events/errors';
import type { Database } from '../../libraries/db/pool';
import { upsertIfNewer } from '../../libraries/db/upsert';
import type { Executor } from '../../libraries/db/executor';
import type { TransactionalHandler } from '../../libraries/messaging/inbox';
import { enqueueEvents } from '../../libraries/messaging/outbox';
import { knownConsultations, records } from './write-schema';
import { serviceRegistry } from '../../libraries/config/services';

const sourceService = serviceRegistry.records.source;

/**
 * Learns consultations from their events (newest version wins) and, for saga 2,
 * voids a consultation's records and answers ConsultationRecordsVoided through
 * the outbox, in the same transaction as the inbox row: it answers exactly once
 * per request event.
 */
export const recordsSagaParticipant: TransactionalHandler<Database> = async (event, tx, context) => {
  switch (event.eventType) {
    case 'ConsultationScheduled':
    case 'ConsultationDone':
    case 'ConsultationCancelled':
      await learnConsultation(tx, event.payload);
      return;
    case 'ConsultationCancellationRequested': {
      const { sagaId, correlationId } = context.headers;
      if (!sagaId) throw new PermanentError('ConsultationCancellationRequested without x-saga-id: nobody to answer', 'missing-saga-id');
      await learnConsultation(tx, event.payload);
      const reply = await voidRecords(tx, event.payload.consultationId);
      await enqueueEvents(tx, [createEvent('ConsultationRecordsVoided', reply, { sourceService })], { sagaId, correlationId });
      context.logger.info('records voided', { consultationId: reply.consultationId, voided: reply.voidedRecordIds.length });
      return;
    }
    default:
      return; // the saga queue hears the four consultation events above only
  }
};

async function learnConsultation(tx: Executor, snapshot: ConsultationSnapshot): Promise<void> {
  await upsertIfNewer(
    tx,
    knownConsultations,
    {
      id: snapshot.consultationId,
      patientId: snapshot.patientId,
      physicianId: snapshot.physicianId,
      status: snapshot.status,
      version: snapshot.version,
      updatedAt: new Date(snapshot.updatedAt),
    },
    { id: knownConsultations.id, version: knownConsultations.version },
  );
}

/**
 * Voids every ACTIVE record of the consultation and lists all its VOIDED ones.
 * A repeated request voids nothing more and gets the same list (and the time
 * of the first voiding); none at all is a valid answer.
 */
async function voidRecords(tx: Executor, consultationId: string): Promise<PayloadOf<'ConsultationRecordsVoided'>> {
  // Serializes with createRecord, which holds this lock while it checks the status and inserts.
  await tx.select({ id: knownConsultations.id }).from(knownConsultations).where(eq(knownConsultations.id, consultationId)).for('update');
  const now = new Date();
  await tx
    .update(records)
    .set({ status: 'VOIDED', version: sql`${records.version} + 1`, updatedAt: now })
    .where(and(eq(records.consultationId, consultationId), eq(records.status, 'ACTIVE')));
  const voided = await tx
    .select({ id: records.id, updatedAt: records.updatedAt })
    .from(records)
    .where(and(eq(records.consultationId, consultationId), eq(records.status, 'VOIDED')))
    .orderBy(asc(records.createdAt), asc(records.id));
  // A voided record is never changed again, so its updatedAt is when it was voided.
  const voidedAt = voided.reduce((latest, record) => (record.updatedAt > latest ? record.updatedAt : latest), new Date(0));
  return {
    consultationId,
    voidedRecordIds: voided.map((record) => record.id),
    voidedAt: (voided.length > 0 ? voidedAt : now).toISOString(),
  };
}
