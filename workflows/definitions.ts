import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { DomainEvent, EventType } from '../libraries/events/catalog';

/**
 * What workflows share with their clients (scheduling service, bridge):
 * ids, inputs, signals and the state query. Pure: safe in workflow code.
 */

export type SagaKind = 'schedule' | 'cancel';

/** Workflow id = saga id: one saga of each kind per consultation, so a repeated request cannot start a second. */
export const sagaId = (kind: SagaKind, consultationId: string) => `${kind}-consultation-${consultationId}`;

export interface ScheduleConsultationInput {
  consultationId: string;
  patientId: string;
  physicianId: string;
  startsAt: string;
  durationMinutes: number;
  reason: string | null;
  correlationId: string;
}

export interface CancelConsultationInput {
  consultationId: string;
  correlationId: string;
  /** Why the consultation is cancelled, as the caller said; shown in the saga's steps. */
  reason?: string | null;
  /** Set when a long wait for records continued as a new run: how many times records was already asked. */
  asksSoFar?: number;
}

/** Saga replies that reach a workflow, each as a signal named after its event type. */
export const replyEventTypes = [
  'PatientValidatedForConsultation',
  'PatientValidationFailed',
  'PhysicianAvailabilityConfirmed',
  'PhysicianAvailabilityRejected',
  'ConsultationRecordsVoided',
] as const satisfies readonly EventType[];
export type ReplyEventType = (typeof replyEventTypes)[number];

export const replySignals = {
  PatientValidatedForConsultation: defineSignal<[DomainEvent<'PatientValidatedForConsultation'>]>('PatientValidatedForConsultation'),
  PatientValidationFailed: defineSignal<[DomainEvent<'PatientValidationFailed'>]>('PatientValidationFailed'),
  PhysicianAvailabilityConfirmed: defineSignal<[DomainEvent<'PhysicianAvailabilityConfirmed'>]>('PhysicianAvailabilityConfirmed'),
  PhysicianAvailabilityRejected: defineSignal<[DomainEvent<'PhysicianAvailabilityRejected'>]>('PhysicianAvailabilityRejected'),
  ConsultationRecordsVoided: defineSignal<[DomainEvent<'ConsultationRecordsVoided'>]>('ConsultationRecordsVoided'),
};

export function isReplyEventType(type: string): type is ReplyEventType {
  return (replyEventTypes as readonly string[]).includes(type);
}

export type SagaStatus =
  | 'STARTED'
  | 'AWAITING_VALIDATION'
  | 'SCHEDULED'
  | 'REJECTED'
  | 'AWAITING_RECORDS'
  | 'CANCELLED'
  | 'REFUSED'
  /** Saga 2 stopped on a step whose data no retry can fix; the last step says which. */
  | 'FAILED';

export interface SagaStep {
  name: string;
  at: string;
  detail?: string;
}

/** What GET /consultations/:id/saga shows and the Web UI's query returns. */
export interface SagaState {
  sagaId: string;
  kind: SagaKind;
  consultationId: string;
  status: SagaStatus;
  steps: SagaStep[];
  startedAt: string;
  closedAt?: string;
}

export const sagaStateQuery = defineQuery<SagaState>('sagaState');
