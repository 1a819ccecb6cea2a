import type { ConsultationStatus } from '../../../libraries/events/consultations';
import { ConflictError } from '../../../libraries/common/domain-errors';

/**
 * The consultation's rules, in one table: for each status, the statuses it
 * may follow. PENDING → SCHEDULED | REJECTED; SCHEDULED → CANCELLATION_REQUESTED
 * → CANCELLED; SCHEDULED → DONE.
 */
export const allowedFrom: Record<ConsultationStatus, readonly ConsultationStatus[]> = {
  PENDING: [],
  SCHEDULED: ['PENDING'],
  REJECTED: ['PENDING'],
  CANCELLATION_REQUESTED: ['SCHEDULED'],
  CANCELLED: ['CANCELLATION_REQUESTED'],
  DONE: ['SCHEDULED'],
};

/** While the consultation is still to happen, its reason may change. */
export const reasonEditableIn: readonly ConsultationStatus[] = ['PENDING', 'SCHEDULED'];

/** A cancellation asked for again once under way or done gets the same answer as the first time. */
export const cancellationUnderWayIn: readonly ConsultationStatus[] = ['CANCELLATION_REQUESTED', 'CANCELLED'];

/** A change the consultation's current state does not allow (e.g. completing a PENDING one): a 409, or a saga step not retried. */
export class InvalidTransitionError extends ConflictError {
  constructor(
    readonly consultationId: string,
    readonly from: ConsultationStatus | 'MISSING',
    readonly to: ConsultationStatus | 'CHANGED',
    /** What the rule is, in words, for the client. */
    rule = `it cannot go from ${from} to ${to}`,
  ) {
    super(`consultation ${consultationId} is ${from}; ${rule}`, { status: from });
    this.name = 'InvalidTransitionError';
  }
}
