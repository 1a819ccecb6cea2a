import type { SagaActivities } from '../../activities';
import type { SagaEventRequest } from '../../activities/publishing';
import type { ConsultationSnapshot, ConsultationStatus, ConsultationStatusReason } from '../../events/consultations';

/**
 * Activities that keep the consultation in memory and record what was
 * published: the workflow's decisions, without a database or a broker.
 */
export function fakeActivities(options: { failPublishOnce?: boolean } = {}) {
  const consultations = new Map<string, ConsultationSnapshot>();
  const published: SagaEventRequest[] = [];
  const publishAttempts: string[] = [];
  let failNext = options.failPublishOnce ?? false;

  const move = (consultationId: string, status: ConsultationStatus, statusReason: ConsultationStatusReason | null = null) => {
    const current = consultations.get(consultationId)!;
    const next = { ...current, status, statusReason, version: current.version + 1 };
    consultations.set(consultationId, next);
    return next;
  };

  const activities: SagaActivities = {
    async createPendingConsultation(input) {
      const snapshot: ConsultationSnapshot = {
        consultationId: input.consultationId,
        patientId: input.patientId,
        physicianId: input.physicianId,
        startsAt: input.startsAt,
        endsAt: new Date(Date.parse(input.startsAt) + input.durationMinutes * 60_000).toISOString(),
        durationMinutes: input.durationMinutes,
        reason: input.reason,
        status: 'PENDING',
        statusReason: null,
        version: 1,
        updatedAt: new Date().toISOString(),
      };
      if (!consultations.has(input.consultationId)) consultations.set(input.consultationId, snapshot);
      return consultations.get(input.consultationId)!;
    },
    async markConsultationScheduled(consultationId) {
      return move(consultationId, 'SCHEDULED');
    },
    async markConsultationRejected({ consultationId, reason }) {
      return move(consultationId, 'REJECTED', reason);
    },
    async markCancellationRequested(consultationId) {
      if (!consultations.has(consultationId)) await activities.createPendingConsultation(sampleInput(consultationId));
      return move(consultationId, 'CANCELLATION_REQUESTED');
    },
    async markConsultationCancelled(consultationId) {
      return move(consultationId, 'CANCELLED', 'CANCELLED_BY_REQUEST');
    },
    async publishSagaEvent(request) {
      publishAttempts.push(request.eventId);
      if (failNext) {
        failNext = false;
        throw new Error('broker briefly unreachable');
      }
      published.push(request);
    },
  };
  return { activities, consultations, published, publishAttempts, types: () => published.map((event) => event.eventType) };
}

export function sampleInput(consultationId: string = crypto.randomUUID()) {
  return {
    consultationId,
    patientId: crypto.randomUUID(),
    physicianId: crypto.randomUUID(),
    startsAt: '2030-03-04T09:00:00.000Z',
    durationMinutes: 30,
    reason: 'check-up',
    correlationId: `corr-${consultationId}`,
  };
}
