import { RequestKeyReusedError } from '../../libraries/common/domain-errors';
import { bookingFingerprint, consultationIdForKey } from './booking-key';
import type { SagaClient } from './saga-client';

export interface BookingRequest {
  patientId: string;
  physicianId: string;
  startsAt: string;
  durationMinutes: number;
  reason: string | null;
}

/**
 * Books a consultation: starts saga 1, whose first step records it PENDING.
 * With an Idempotency-Key the consultation id is derived from the key, so a
 * retry finds the saga already started and gets the same answer; the same
 * key with a different booking is refused (RequestKeyReusedError, a 422).
 */
export async function bookConsultation(
  sagas: Pick<SagaClient, 'startScheduling' | 'schedulingRequest'>,
  request: BookingRequest,
  options: { idempotencyKey?: string | undefined; correlationId: string },
): Promise<{ consultationId: string; sagaId: string }> {
  const { idempotencyKey: key, correlationId } = options;
  const consultationId = key ? consultationIdForKey(key) : crypto.randomUUID();
  const booking = { ...request, startsAt: new Date(request.startsAt).toISOString() };
  const fingerprint = key ? bookingFingerprint(booking) : undefined;
  const { sagaId, started } = await sagas.startScheduling({ consultationId, ...booking, correlationId }, fingerprint);
  // A key names one booking: the same key with another booking is a client error, not a retry.
  if (!started && fingerprint !== (await sagas.schedulingRequest(consultationId))) {
    throw new RequestKeyReusedError('this Idempotency-Key was already used for a different booking');
  }
  return { consultationId, sagaId };
}
