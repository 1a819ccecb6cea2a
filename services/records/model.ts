import type { ConsultationStatus } from '../../events/consultations';
import type { RecordSnapshot } from '../../events/records';
import type { RecordRow } from './write-schema';

/** A record as the event catalog carries it. */
export function toRecordSnapshot(row: RecordRow): RecordSnapshot {
  return {
    recordId: row.id,
    consultationId: row.consultationId,
    patientId: row.patientId,
    physicianId: row.physicianId,
    diagnosis: row.diagnosis,
    notes: row.notes,
    prescriptions: row.prescriptions,
    status: row.status,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A record as docs/api.md shows it, plus the status of its consultation as records knows it. */
export function toRecordResource(row: Omit<RecordRow, 'version'> & { consultationStatus: ConsultationStatus | null }) {
  return {
    id: row.id,
    consultationId: row.consultationId,
    patientId: row.patientId,
    physicianId: row.physicianId,
    diagnosis: row.diagnosis,
    notes: row.notes,
    prescriptions: row.prescriptions,
    status: row.status,
    consultationStatus: row.consultationStatus,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type RecordResource = ReturnType<typeof toRecordResource>;
