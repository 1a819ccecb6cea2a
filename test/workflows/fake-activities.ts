import type { SagaActivities } from '../../activities';
import type { ConsultationEventType } from '../../activities/consultations';
import { toDataFailure } from '../../activities/failures';
import type { Announcement, SagaEventRequest } from '../../activities/publishing';
import { InvalidTransitionError, type NewConsultation } from '../../services/scheduling/consultations';
import type { ConsultationSnapshot, ConsultationStatus, ConsultationStatusReason } from '../../libraries/events/consultations';

/** A step made to fail on invalid data: the activity, and for moveConsultation the status it moves to. */
export interface FailingStep {
  activity: 'openConsultation' | 'moveConsultation';
  to?: ConsultationStatus;
  /** What the real step would throw (a pg error in drizzle's wrapper…); classified as the worker does. */
  error: unknown;
}

/**
 * Activities that keep the consultation in memory and record what was
 * published: the workflow's decisions, without a database or a broker.
 */
export function fakeActivities(options: { failPublishOnce?: boolean; failStep?: FailingStep } = {}) {
  const consultations = new Map<string, ConsultationSnapshot>();
  /** Consultations whose row could not be written: later moves find nothing, as in the database. */
  const unwritten = new Set<string>();
  const published: SagaEventRequest[] = [];
  const publishAttempts: string[] = [];
  const failures: string[] = [];
  let failNext = options.failPublishOnce ?? false;

  const failIf = (activity: FailingStep['activity'], to?: ConsultationStatus) => {
    const step = options.failStep;
    if (!step || step.activity !== activity || (step.to !== undefined && step.to !== to)) return;
    failures.push(activity);
    throw toDataFailure(activity, step.error) ?? step.error;
  };

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
      try {
        failIf('openConsultation');
      } catch (error) {
        unwritten.add(input.consultationId);
        throw error;
      }
      return announce(open(input), announcement);
    },
    async moveConsultation({ consultationId, to, reason }, announcement) {
      if (unwritten.has(consultationId)) throw toDataFailure('moveConsultation', new InvalidTransitionError(consultationId, 'MISSING', to));
      failIf('moveConsultation', to);
      // Saga 2 tests start from a consultation scheduling made.
      if (!consultations.has(consultationId)) open(sampleInput(consultationId));
      const current = consultations.get(consultationId)!;
      // Idempotent like the real one: a retry finds it already moved.
      const next = current.status === to ? current : move(consultationId, to, reason ?? null);
      return announce(next, announcement);
    },
    publishSagaEvent: publish,
  };
  return { activities, consultations, published, publishAttempts, failures, types: () => published.map((event) => event.eventType) };
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
