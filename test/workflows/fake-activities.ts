import type { SagaActivities } from '../../activities';
import type { ConsultationEventType } from '../../activities/consultations';
import type { Announcement, SagaEventRequest } from '../../activities/publishing';
import type { NewConsultation } from '../../services/scheduling/write-model';
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

  const publish = async (request: SagaEventRequest) => {
    publishAttempts.push(request.eventId);
    if (failNext) {
      failNext = false;
      throw new Error('broker briefly unreachable');
    }
    published.push(request);
  };
  const announce = async (snapshot: ConsultationSnapshot, announcement?: Announcement<ConsultationEventType>) => {
    if (announcement) await publish({ ...announcement, payload: snapshot });
    return snapshot;
  };

  const open = (input: NewConsultation) => {
    if (!consultations.has(input.consultationId))
      consultations.set(input.consultationId, {
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
      });
    return consultations.get(input.consultationId)!;
  };

  const activities: SagaActivities = {
    async openConsultation(input, announcement) {
      return announce(open(input), announcement);
    },
    async moveConsultation({ consultationId, to, reason }, announcement) {
      // Saga 2 tests start from a consultation scheduling made.
      if (!consultations.has(consultationId)) open(sampleInput(consultationId));
      const current = consultations.get(consultationId)!;
      // Idempotent like the real one: a retry finds it already moved.
      const next = current.status === to ? current : move(consultationId, to, reason ?? null);
      return announce(next, announcement);
    },
    publishSagaEvent: publish,
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
