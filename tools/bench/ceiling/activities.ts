import type { SagaActivities } from '../../../activities';
import type { ConsultationSnapshot } from '../../../libraries/events/consultations';

type CeilingActivities = Pick<SagaActivities, 'openConsultation' | 'moveConsultation'>;

/** A consultation as the real activities return it: the same payload sizes travel through Temporal. */
export function sampleSnapshot(consultationId: string, status: ConsultationSnapshot['status']): ConsultationSnapshot {
  const now = new Date().toISOString();
  return {
    consultationId,
    patientId: '00000000-0000-4000-8000-000000000001',
    physicianId: '00000000-0000-4000-8000-000000000002',
    startsAt: '2100-01-01T08:00:00.000Z',
    endsAt: '2100-01-01T08:30:00.000Z',
    durationMinutes: 30,
    reason: null,
    status,
    statusReason: null,
    version: status === 'PENDING' ? 1 : 2,
    updatedAt: now,
  };
}

/**
 * The ceilings' activities: saga 1's two, by the same names and with the
 * same answers, doing no database or broker work. Opening the consultation
 * tells the driver, which then signals the two replies the way the bridge would.
 */
export function ceilingActivities(onSchedulingStarted: (sagaId: string, consultationId: string) => void): CeilingActivities {
  return {
    async openConsultation(input, announcement) {
      if (announcement) onSchedulingStarted(announcement.sagaId, input.consultationId);
      return sampleSnapshot(input.consultationId, 'PENDING');
    },
    async moveConsultation({ consultationId }) {
      return sampleSnapshot(consultationId, 'SCHEDULED');
    },
  };
}
