import type { PatientSnapshot } from '../../events/patients';
import type { PatientRow } from './write-schema';

/** A patient as the event catalog carries it. */
export function toPatientSnapshot(row: PatientRow): PatientSnapshot {
  return {
    patientId: row.id,
    name: row.name,
    email: row.email,
    birthDate: row.birthDate,
    phone: row.phone,
    status: row.status,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A patient as docs/api.md shows it. */
export function toPatientResource(row: Omit<PatientRow, 'version'>) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    birthDate: row.birthDate,
    phone: row.phone,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PatientResource = ReturnType<typeof toPatientResource>;
