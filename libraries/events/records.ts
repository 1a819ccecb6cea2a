import { z } from 'zod';
import { isoDateTime, snapshotStamps } from './common';
import { defineEvents } from './define';

export const recordStatuses = ['ACTIVE', 'VOIDED'] as const;

export const recordSnapshot = z.object({
  recordId: z.uuid(),
  consultationId: z.uuid(),
  patientId: z.uuid(),
  physicianId: z.uuid(),
  diagnosis: z.string().min(1),
  notes: z.string().nullable(),
  prescriptions: z.array(z.string()),
  status: z.enum(recordStatuses),
  ...snapshotStamps,
});
export type RecordSnapshot = z.infer<typeof recordSnapshot>;

export const recordEvents = defineEvents(
  { publisher: 'records', snapshot: recordSnapshot },
  {
    ConsultationRecordCreated: { routingKey: 'record.created', description: 'A clinical record was written for a consultation.' },
    ConsultationRecordUpdated: {
      routingKey: 'record.updated',
      description: 'A clinical record was amended; carries the record as it is now.',
    },
    ConsultationRecordsVoided: {
      routingKey: 'record.voided',
      description: 'Saga 2 reply: every record of the cancelled consultation is VOIDED (the list may be empty).',
      payload: z.object({ consultationId: z.uuid(), voidedRecordIds: z.array(z.uuid()), voidedAt: isoDateTime }),
    },
  },
);
