import { catalog, createEvent, eventTypes, type DomainEvent, type EventType, type PayloadOf } from '../../libraries/events/catalog';

const ids = {
  patient: '0b7a3c1e-2f6d-4e8a-9b1c-3d5e7f9a1b2c',
  physician: '1c8b4d2f-3a7e-4f9b-8c2d-4e6f8a0b2c3d',
  consultation: '2d9c5e3a-4b8f-4a0c-9d3e-5f7a9b1c3d4e',
  record: '3e0d6f4b-5c9a-4b1d-8e4f-6a8b0c2d4e5f',
};
const at = '2030-01-07T10:00:00.000Z';

const patient: PayloadOf<'PatientRegistered'> = {
  patientId: ids.patient,
  name: 'Ana Lima',
  email: 'ana@example.org',
  birthDate: '1990-04-01',
  phone: null,
  status: 'ACTIVE',
  version: 1,
  createdAt: at,
  updatedAt: at,
};
const physician: PayloadOf<'PhysicianRegistered'> = {
  physicianId: ids.physician,
  name: 'Dr. Rui Sá',
  specialty: 'cardiology',
  licenseNumber: 'OM-123',
  status: 'ACTIVE',
  version: 1,
  createdAt: at,
  updatedAt: at,
};
const consultation: PayloadOf<'ConsultationSchedulingStarted'> = {
  consultationId: ids.consultation,
  patientId: ids.patient,
  physicianId: ids.physician,
  startsAt: at,
  endsAt: '2030-01-07T10:30:00.000Z',
  durationMinutes: 30,
  reason: 'check-up',
  status: 'PENDING',
  statusReason: null,
  version: 1,
  updatedAt: at,
};
const record: PayloadOf<'ConsultationRecordCreated'> = {
  recordId: ids.record,
  consultationId: ids.consultation,
  patientId: ids.patient,
  physicianId: ids.physician,
  diagnosis: 'healthy',
  notes: null,
  prescriptions: [],
  status: 'ACTIVE',
  version: 1,
  createdAt: at,
  updatedAt: at,
};

/** A valid payload for every event type, for tests that need one of each. */
export const samplePayloads: { [T in EventType]: PayloadOf<T> } = {
  PatientRegistered: patient,
  PatientUpdated: { ...patient, version: 2 },
  PatientDeactivated: { ...patient, status: 'INACTIVE', version: 3 },
  PatientValidatedForConsultation: { consultationId: ids.consultation, patientId: ids.patient, patientName: patient.name },
  PatientValidationFailed: { consultationId: ids.consultation, patientId: ids.patient, reason: 'PATIENT_INACTIVE' },
  PhysicianRegistered: physician,
  PhysicianUpdated: { ...physician, version: 2 },
  PhysicianDeactivated: { ...physician, status: 'INACTIVE', version: 3 },
  PhysicianAvailabilityConfirmed: {
    consultationId: ids.consultation,
    physicianId: ids.physician,
    physicianName: physician.name,
    specialty: physician.specialty,
    startsAt: consultation.startsAt,
    endsAt: consultation.endsAt,
  },
  PhysicianAvailabilityRejected: { consultationId: ids.consultation, physicianId: ids.physician, reason: 'SLOT_TAKEN' },
  ConsultationSchedulingStarted: consultation,
  ConsultationScheduled: { ...consultation, status: 'SCHEDULED', version: 2 },
  ConsultationUpdated: { ...consultation, status: 'SCHEDULED', reason: 'follow-up', version: 3 },
  ConsultationDone: { ...consultation, status: 'DONE', version: 4 },
  ConsultationCancellationRequested: { ...consultation, status: 'CANCELLATION_REQUESTED', version: 3 },
  ConsultationCancelled: { ...consultation, status: 'CANCELLED', statusReason: 'CANCELLED_BY_REQUEST', version: 4 },
  ConsultationRecordCreated: record,
  ConsultationRecordUpdated: { ...record, notes: 'rest', version: 2 },
  ConsultationRecordsVoided: { consultationId: ids.consultation, voidedRecordIds: [ids.record], voidedAt: at },
};

/** An event as the service the catalog names as its publisher makes it; a new eventId unless one is given. */
export function catalogEvent<T extends EventType>(type: T, payload: PayloadOf<T>, eventId?: string): DomainEvent<T> {
  return createEvent(type, payload, { sourceService: catalog[type].publishedBy, eventId });
}

/** A fresh, valid event of the given type (new eventId each call). */
export function sampleEvent<T extends EventType>(type: T, overrides: Partial<PayloadOf<T>> = {}): DomainEvent<T> {
  return catalogEvent(type, { ...samplePayloads[type], ...overrides });
}

export const allSampleEvents = (): DomainEvent[] => eventTypes.map((type) => sampleEvent(type));
