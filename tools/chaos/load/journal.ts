/**
 * What the driver's requests were accepted for: what the system promised,
 * and what the accounting at the end holds it to.
 */
export interface Journal {
  /** POST /patients answered 201: exactly one patient with this e-mail must exist. */
  registrations: { email: string; id: string }[];
  /** POST /consultations answered 202; `rejected` when the patient was inactive, so SCHEDULED would be wrong. */
  bookings: { consultationId: string; mustBeRejected: boolean }[];
  /** POST /consultations/:id/cancel answered 202: it must end CANCELLED. */
  cancellations: string[];
  /** POST /records answered 201: exactly one record with this diagnosis must exist. */
  records: { id: string; consultationId: string; diagnosis: string }[];
}

export const emptyJournal = (): Journal => ({ registrations: [], bookings: [], cancellations: [], records: [] });

/** Requests and what the client met, counted since the driver started. */
export interface LoadCounters {
  requests: number;
  /** Attempts answered 5xx, timed out or refused: each was retried. */
  clientErrors: number;
  /** Requests that still had no answer below 500 when the client gave up. */
  gaveUp: number;
}
