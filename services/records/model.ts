import type { ConsultationStatus } from '../../libraries/events/consultations';
import type { RecordSnapshot } from '../../libraries/events/records';
import type { RecordRow } from './write-schema';

type RecordContent = Pick<RecordRow, 'consultationId' | 'patientId' | 'physicianId' | 'diagnosis' | 'notes' | 'prescriptions' | 'status'>;

/** What a record says, the same in its events and its API resource; picked field by field so that no other column leaks out. */
function recordContent(row: RecordContent): RecordContent {
  return {
    consultationId: row.consultationId,
    patientId: row.patientId,
    physicianId: row.physicianId,
    diagnosis: row.diagnosis,
    notes: row.notes,
    prescriptions: row.prescriptions,
    status: row.status,
  };
}

/** When the record was written and last amended, as ISO strings. */
const isoTimestamps = (row: Pick<RecordRow, 'createdAt' | 'updatedAt'>) => ({
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** A record as the event catalog carries it. */
export function toRecordSnapshot(row: RecordRow): RecordSnapshot {
  return { recordId: row.id, ...recordContent(row), version: row.version, ...isoTimestamps(row) };
}

/** A record as docs/api.md shows it, plus the status of its consultation as records knows it. */
export function toRecordResource(row: Omit<RecordRow, 'version'> & { consultationStatus: ConsultationStatus | null }) {
  return { id: row.id, ...recordContent(row), consultationStatus: row.consultationStatus, ...isoTimestamps(row) };
}
