import { z } from 'zod';
import { snapshotStamps } from './common';
import { defineEvents } from './define';

export const patientStatuses = ['ACTIVE', 'INACTIVE'] as const;

export const patientSnapshot = z.object({
  patientId: z.uuid(),
  name: z.string().min(1),
  email: z.email(),
  birthDate: z.iso.date().nullable(),
  phone: z.string().nullable(),
  status: z.enum(patientStatuses),
  ...snapshotStamps,
});
export type PatientSnapshot = z.infer<typeof patientSnapshot>;

export const patientValidationFailureReasons = ['PATIENT_NOT_FOUND', 'PATIENT_INACTIVE'] as const;

export const patientEvents = defineEvents(
  { publisher: 'patients', snapshot: patientSnapshot },
  {
    PatientRegistered: { routingKey: 'patient.registered', description: 'A patient was registered; carries the new patient.' },
    PatientUpdated: { routingKey: 'patient.updated', description: "A patient's details changed; carries the patient as it is now." },
    PatientDeactivated: {
      routingKey: 'patient.deactivated',
      description: 'A patient was deactivated and can no longer book consultations.',
    },
    PatientValidatedForConsultation: {
      routingKey: 'patient.validation.succeeded',
      description: 'Saga reply: the patient exists and is active, so the consultation may go ahead.',
      payload: z.object({ consultationId: z.uuid(), patientId: z.uuid(), patientName: z.string() }),
    },
    PatientValidationFailed: {
      routingKey: 'patient.validation.failed',
      description: 'Saga reply: the patient is unknown or inactive, so the consultation must be rejected.',
      payload: z.object({ consultationId: z.uuid(), patientId: z.uuid(), reason: z.enum(patientValidationFailureReasons) }),
    },
  },
);
