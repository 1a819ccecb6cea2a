/** What the bench knows about one saga it started; times are performance.now() milliseconds. */
export interface SagaRecord {
  index: number;
  /** When the POST was due (the open model's clock); latencies count from here. */
  dueAt: number;
  /** Answer 202 arrived. */
  acceptedAt?: number;
  consultationId?: string;
  /** POST failed (network, timeout, not 202). */
  error?: string;
  /** First seen SCHEDULED in its scheduling read model. */
  scheduledAt?: number;
  /** First seen REJECTED, with the reason the read model gave. */
  rejectedAt?: number;
  rejectReason?: string;
  /** Part of the cancellation mix: cancelled as soon as it is seen SCHEDULED. */
  wantsCancel: boolean;
  cancel?: { sentAt: number; acceptedAt?: number; cancelledAt?: number; error?: string };
  /** Nothing more to wait for. */
  done: boolean;
}

export type Outcome = 'scheduled' | 'cancelled' | 'rejected' | 'error' | 'unfinished';

export function outcomeOf(record: SagaRecord): Outcome {
  if (record.error || record.cancel?.error) return 'error';
  if (record.rejectedAt !== undefined) return 'rejected';
  if (!record.done) return 'unfinished';
  return record.cancel ? 'cancelled' : 'scheduled';
}
