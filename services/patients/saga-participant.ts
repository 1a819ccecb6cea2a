import { serviceRegistry } from '../../libraries/config/services';
import { eq } from 'drizzle-orm';
import { createEvent } from '../../libraries/events/catalog';
import { PermanentError } from '../../libraries/events/errors';
import type { Database } from '../../libraries/db/pool';
import type { TransactionalHandler } from '../../libraries/messaging/inbox';
import { enqueueEvents } from '../../libraries/messaging/outbox';
import { patients } from './write-schema';

const sourceService = serviceRegistry.patients.source;

/**
 * Saga 1, step "validate the patient": answers ConsultationSchedulingStarted
 * with PatientValidatedForConsultation or PatientValidationFailed, through the
 * outbox in the same transaction as the inbox row, so it answers exactly once.
 */
export const patientSagaParticipant: TransactionalHandler<Database> = async (event, tx, context) => {
  if (event.eventType !== 'ConsultationSchedulingStarted') return;
  const { sagaId, correlationId } = context.headers;
  if (!sagaId) throw new PermanentError('ConsultationSchedulingStarted without x-saga-id: nobody to answer', 'missing-saga-id');

  const { consultationId, patientId } = event.payload;
  const [patient] = await tx.select().from(patients).where(eq(patients.id, patientId));
  const reply = !patient
    ? createEvent('PatientValidationFailed', { consultationId, patientId, reason: 'PATIENT_NOT_FOUND' }, { sourceService })
    : patient.status !== 'ACTIVE'
      ? createEvent('PatientValidationFailed', { consultationId, patientId, reason: 'PATIENT_INACTIVE' }, { sourceService })
      : createEvent('PatientValidatedForConsultation', { consultationId, patientId, patientName: patient.name }, { sourceService });
  await enqueueEvents(tx, [reply], { sagaId, correlationId });
  context.logger.info('patient validation answered', { consultationId, answer: reply.eventType });
};
