import type { TakenSlot } from './write-schema';

/** A taken (HELD or CONFIRMED) slot as docs/api.md shows it. */
export function toSlotResource(row: TakenSlot) {
  return {
    consultationId: row.consultationId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    status: row.status,
  };
}
