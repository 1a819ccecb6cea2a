import { z } from 'zod';
import { isoDateTime, snapshotStamps } from './common';
import { defineEvents } from './define';

export const physicianStatuses = ['ACTIVE', 'INACTIVE'] as const;

export const physicianSnapshot = z.object({
  physicianId: z.uuid(),
  name: z.string().min(1),
  specialty: z.string().min(1),
  licenseNumber: z.string().nullable(),
  status: z.enum(physicianStatuses),
  ...snapshotStamps,
});
export type PhysicianSnapshot = z.infer<typeof physicianSnapshot>;

export const physicianRejectionReasons = ['PHYSICIAN_NOT_FOUND', 'PHYSICIAN_INACTIVE', 'SLOT_TAKEN', 'SLOT_IN_PAST'] as const;

export const physicianEvents = defineEvents(
  { publisher: 'physicians', snapshot: physicianSnapshot },
  {
    PhysicianRegistered: { routingKey: 'physician.registered', description: 'A physician was registered; carries the new physician.' },
    PhysicianUpdated: {
      routingKey: 'physician.updated',
      description: "A physician's details changed; carries the physician as it is now.",
    },
    PhysicianDeactivated: {
      routingKey: 'physician.deactivated',
      description: 'A physician was deactivated and takes no new consultations.',
    },
    PhysicianAvailabilityConfirmed: {
      routingKey: 'physician.availability.confirmed',
      description: 'Saga reply: the physician is active and now HOLDS the requested slot for the consultation.',
      payload: z.object({
        consultationId: z.uuid(),
        physicianId: z.uuid(),
        physicianName: z.string(),
        specialty: z.string(),
        startsAt: isoDateTime,
        endsAt: isoDateTime,
      }),
    },
    PhysicianAvailabilityRejected: {
      routingKey: 'physician.availability.rejected',
      description: 'Saga reply: the physician is unknown, inactive, or the slot is taken or in the past.',
      payload: z.object({ consultationId: z.uuid(), physicianId: z.uuid(), reason: z.enum(physicianRejectionReasons) }),
    },
  },
);
