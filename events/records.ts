import { z } from 'zod';
import { isoDateTime, version } from './common';
import { defineEvent, exchanges } from './define';

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
  version,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type RecordSnapshot = z.infer<typeof recordSnapshot>;

const service = 'clinical-records';
const exchange = exchanges.records;

export const recordEvents = {
  ConsultationRecordCreated: defineEvent({
    exchange,
    routingKey: 'record.created',
    publishedBy: service,
    description: 'A clinical record was written for a consultation.',
    payload: recordSnapshot,
  }),
  ConsultationRecordUpdated: defineEvent({
    exchange,
    routingKey: 'record.updated',
    publishedBy: service,
    description: 'A clinical record was amended; carries the record as it is now.',
    payload: recordSnapshot,
  }),
  ConsultationRecordsVoided: defineEvent({
    exchange,
    routingKey: 'record.voided',
    publishedBy: service,
    description: 'Saga 2 reply: every record of the cancelled consultation is VOIDED (the list may be empty).',
    payload: z.object({ consultationId: z.uuid(), voidedRecordIds: z.array(z.uuid()), voidedAt: isoDateTime }),
  }),
};
