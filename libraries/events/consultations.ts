import { z } from 'zod';
import { isoDateTime, version } from './common';
import { defineEvents } from './define';
import { patientValidationFailureReasons } from './patients';
import { physicianRejectionReasons } from './physicians';

/** PENDING → SCHEDULED | REJECTED; SCHEDULED → CANCELLATION_REQUESTED → CANCELLED; SCHEDULED → DONE. */
export const consultationStatuses = ['PENDING', 'SCHEDULED', 'REJECTED', 'CANCELLATION_REQUESTED', 'CANCELLED', 'DONE'] as const;
export type ConsultationStatus = (typeof consultationStatuses)[number];

/** Why a consultation was REJECTED or CANCELLED. */
export const consultationStatusReasons = [
  ...patientValidationFailureReasons,
  ...physicianRejectionReasons,
  'TIMEOUT',
  'CANCELLED_BY_REQUEST',
  /** A saga step failed on the consultation's own data (a date PostgreSQL cannot store, a broken schema). */
  'INVALID_REQUEST',
] as const;
export type ConsultationStatusReason = (typeof consultationStatusReasons)[number];

/** Every consultation event carries the consultation as it is after the change. */
export const consultationSnapshot = z.object({
  consultationId: z.uuid(),
  patientId: z.uuid(),
  physicianId: z.uuid(),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  durationMinutes: z.number().int().min(10).max(240),
  reason: z.string().nullable(),
  status: z.enum(consultationStatuses),
  statusReason: z.enum(consultationStatusReasons).nullable(),
  version,
  updatedAt: isoDateTime,
});
export type ConsultationSnapshot = z.infer<typeof consultationSnapshot>;

export const consultationEvents = defineEvents(
  { publisher: 'scheduling', snapshot: consultationSnapshot },
  {
    ConsultationSchedulingStarted: {
      sentBy: 'worker',
      routingKey: 'consultation.scheduling.started',
      description: 'Saga 1 began: a PENDING consultation asks patients and physicians to validate it.',
    },
    ConsultationScheduled: {
      sentBy: 'worker',
      routingKey: 'consultation.scheduled',
      description: 'Both validations passed: the consultation is SCHEDULED and the held slot is confirmed.',
    },
    ConsultationUpdated: { routingKey: 'consultation.updated', description: "A consultation's details (its reason) changed." },
    ConsultationDone: { routingKey: 'consultation.done', description: 'A SCHEDULED consultation took place and is DONE.' },
    ConsultationCancellationRequested: {
      sentBy: 'worker',
      routingKey: 'consultation.cancellation.requested',
      description: "Saga 2 began: clinical records must void the consultation's records.",
    },
    ConsultationCancelled: {
      sentBy: 'worker',
      routingKey: 'consultation.cancelled',
      description:
        'The consultation is over before it happened: REJECTED by saga 1 (with the reason) or CANCELLED by saga 2; a held slot is released.',
    },
  },
);
