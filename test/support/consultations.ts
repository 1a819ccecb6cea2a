import type { ConsultationSnapshot } from '../../libraries/events/consultations';
import type { Database } from '../../libraries/db/pool';
import { consultations } from '../../services/scheduling/consultations/schema';
import { catalogEvent } from './sample-events';

const minutes = 60_000;

/** A PENDING consultation's snapshot at the given time, as saga 1 sends it to physicians. */
export function consultationAt(physicianId: string, startsAt: Date, durationMinutes = 30): ConsultationSnapshot {
  return {
    consultationId: crypto.randomUUID(),
    patientId: crypto.randomUUID(),
    physicianId,
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + durationMinutes * minutes).toISOString(),
    durationMinutes,
    reason: null,
    status: 'PENDING',
    statusReason: null,
    version: 1,
    updatedAt: new Date().toISOString(),
  };
}

/**
 * The event that ends a schedule saga for physicians: ConsultationScheduled
 * (SCHEDULED, version 2) confirms the held slot; ConsultationCancelled, with
 * the consultation as it `ended`, releases it.
 */
export function sagaEndEvent(
  type: 'ConsultationScheduled' | 'ConsultationCancelled',
  consultation: ConsultationSnapshot,
  ended: Pick<ConsultationSnapshot, 'status' | 'statusReason' | 'version'>,
) {
  return catalogEvent(
    type,
    type === 'ConsultationScheduled' ? { ...consultation, status: 'SCHEDULED', version: 2 } : { ...consultation, ...ended },
  );
}

/** A SCHEDULED consultation written straight into scheduling's write model (tomorrow, 30 minutes); its id. */
export async function insertScheduledConsultation(db: Database, { physicianId = crypto.randomUUID() } = {}): Promise<string> {
  const id = crypto.randomUUID();
  const startsAt = new Date(Date.now() + 24 * 60 * minutes);
  const now = new Date();
  await db.insert(consultations).values({
    id,
    patientId: crypto.randomUUID(),
    physicianId,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 30 * minutes),
    durationMinutes: 30,
    reason: null,
    status: 'SCHEDULED',
    statusReason: null,
    version: 2,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}
