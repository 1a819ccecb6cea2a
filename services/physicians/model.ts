import type { PhysicianSnapshot } from '../../events/physicians';
import type { PhysicianRow, TakenSlot } from './write-schema';

/** A physician as the event catalog carries it. */
export function toPhysicianSnapshot(row: PhysicianRow): PhysicianSnapshot {
  return {
    physicianId: row.id,
    name: row.name,
    specialty: row.specialty,
    licenseNumber: row.licenseNumber,
    status: row.status,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A physician as docs/api.md shows it. */
export function toPhysicianResource(row: Omit<PhysicianRow, 'version'>) {
  return {
    id: row.id,
    name: row.name,
    specialty: row.specialty,
    licenseNumber: row.licenseNumber,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PhysicianResource = ReturnType<typeof toPhysicianResource>;

/** A taken (HELD or CONFIRMED) slot as docs/api.md shows it. */
export function toSlotResource(row: TakenSlot) {
  return {
    consultationId: row.consultationId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    status: row.status,
  };
}
