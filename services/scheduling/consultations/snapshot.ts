import type { ConsultationSnapshot } from '../../../libraries/events/consultations';
import type { ConsultationRow } from './schema';

/** A consultation as the event catalog carries it. */
export function toConsultationSnapshot(row: ConsultationRow): ConsultationSnapshot {
  return {
    consultationId: row.id,
    patientId: row.patientId,
    physicianId: row.physicianId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    durationMinutes: row.durationMinutes,
    reason: row.reason,
    status: row.status,
    statusReason: row.statusReason,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}
