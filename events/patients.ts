import { z } from 'zod';
import { isoDateTime, version } from './common';
import { defineEvent, exchanges } from './define';

export const patientStatuses = ['ACTIVE', 'INACTIVE'] as const;

export const patientSnapshot = z.object({
  patientId: z.uuid(),
  name: z.string().min(1),
  email: z.email(),
  birthDate: z.iso.date().nullable(),
  phone: z.string().nullable(),
  status: z.enum(patientStatuses),
  version,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type PatientSnapshot = z.infer<typeof patientSnapshot>;

export const patientValidationFailureReasons = ['PATIENT_NOT_FOUND', 'PATIENT_INACTIVE'] as const;

const service = 'patient-service';
const exchange = exchanges.patients;

export const patientEvents = {
  PatientRegistered: defineEvent({
    exchange,
    routingKey: 'patient.registered',
    publishedBy: service,
    description: 'A patient was registered; carries the new patient.',
    payload: patientSnapshot,
  }),
  PatientUpdated: defineEvent({
    exchange,
    routingKey: 'patient.updated',
    publishedBy: service,
    description: "A patient's details changed; carries the patient as it is now.",
    payload: patientSnapshot,
  }),
  PatientDeactivated: defineEvent({
    exchange,
    routingKey: 'patient.deactivated',
    publishedBy: service,
    description: 'A patient was deactivated and can no longer book consultations.',
    payload: patientSnapshot,
  }),
  PatientValidatedForConsultation: defineEvent({
    exchange,
    routingKey: 'patient.validation.succeeded',
    publishedBy: service,
    description: 'Saga reply: the patient exists and is active, so the consultation may go ahead.',
    payload: z.object({ consultationId: z.uuid(), patientId: z.uuid(), patientName: z.string() }),
  }),
  PatientValidationFailed: defineEvent({
    exchange,
    routingKey: 'patient.validation.failed',
    publishedBy: service,
    description: 'Saga reply: the patient is unknown or inactive, so the consultation must be rejected.',
    payload: z.object({ consultationId: z.uuid(), patientId: z.uuid(), reason: z.enum(patientValidationFailureReasons) }),
  }),
};
