import { z } from 'zod';
import { isoDateTime, version } from './common';
import { defineEvent, exchanges } from './define';

export const physicianStatuses = ['ACTIVE', 'INACTIVE'] as const;

export const physicianSnapshot = z.object({
  physicianId: z.uuid(),
  name: z.string().min(1),
  specialty: z.string().min(1),
  licenseNumber: z.string().nullable(),
  status: z.enum(physicianStatuses),
  version,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type PhysicianSnapshot = z.infer<typeof physicianSnapshot>;

export const physicianRejectionReasons = ['PHYSICIAN_NOT_FOUND', 'PHYSICIAN_INACTIVE', 'SLOT_TAKEN', 'SLOT_IN_PAST'] as const;

const service = 'physician-service';
const exchange = exchanges.physicians;

export const physicianEvents = {
  PhysicianRegistered: defineEvent({
    exchange,
    routingKey: 'physician.registered',
    publishedBy: service,
    description: 'A physician was registered; carries the new physician.',
    payload: physicianSnapshot,
  }),
  PhysicianUpdated: defineEvent({
    exchange,
    routingKey: 'physician.updated',
    publishedBy: service,
    description: "A physician's details changed; carries the physician as it is now.",
    payload: physicianSnapshot,
  }),
  PhysicianDeactivated: defineEvent({
    exchange,
    routingKey: 'physician.deactivated',
    publishedBy: service,
    description: 'A physician was deactivated and takes no new consultations.',
    payload: physicianSnapshot,
  }),
  PhysicianAvailabilityConfirmed: defineEvent({
    exchange,
    routingKey: 'physician.availability.confirmed',
    publishedBy: service,
    description: 'Saga reply: the physician is active and now HOLDS the requested slot for the consultation.',
    payload: z.object({
      consultationId: z.uuid(),
      physicianId: z.uuid(),
      physicianName: z.string(),
      specialty: z.string(),
      startsAt: isoDateTime,
      endsAt: isoDateTime,
    }),
  }),
  PhysicianAvailabilityRejected: defineEvent({
    exchange,
    routingKey: 'physician.availability.rejected',
    publishedBy: service,
    description: 'Saga reply: the physician is unknown, inactive, or the slot is taken or in the past.',
    payload: z.object({ consultationId: z.uuid(), physicianId: z.uuid(), reason: z.enum(physicianRejectionReasons) }),
  }),
};
