import type { Executor } from '../../libraries/db/executor';
import type { Logger } from '../../libraries/observability/logging/logger';
import { findConsultation, type ConsultationRow } from './consultations';
import type { SagaClient } from './saga-client';

export type CancellationStarter = Pick<SagaClient, 'startCancellation'>;

/**
 * Starts saga 2 for a consultation marked CANCELLATION_REQUESTED. Its
 * workflow id is derived from the consultation, so a saga already running (or
 * done) makes this a no-op: the client answers `started: false`.
 */
export async function startCancellationSaga(
  sagas: CancellationStarter,
  row: ConsultationRow,
  request: { correlationId: string; reason?: string | null },
): Promise<{ started: boolean }> {
  const { started } = await sagas.startCancellation(
    { consultationId: row.id, correlationId: request.correlationId, reason: request.reason ?? null },
    { patientId: row.patientId, physicianId: row.physicianId },
  );
  return { started };
}

/**
 * What follows a committed cancellation mark (requestCancellation): start
 * saga 2, again if asked again (its id makes that harmless). The request is
 * recorded whatever happens here, so a failed lookup or start is logged and
 * left to the cancellation reconciler, never turned into an error answer.
 */
export async function startCancellationAfterMark(
  sagas: CancellationStarter,
  db: Executor,
  consultationId: string,
  request: { correlationId: string; reason: string | null },
  logger: Logger,
): Promise<void> {
  try {
    const row = await findConsultation(db, consultationId);
    if (row?.status === 'CANCELLATION_REQUESTED') await startCancellationSaga(sagas, row, request);
  } catch (error) {
    logger.warn('cancellation saga not started; the reconciler will start it', { consultationId, error });
  }
}
