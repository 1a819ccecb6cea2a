/**
 * A failure that no retry can fix: the message itself is wrong (not JSON, an
 * unknown event type, a payload that breaks its schema) or the handler has
 * decided it can never be applied. Consumers send these to the DLQ at once.
 */
export class PermanentError extends Error {
  readonly permanent = true;

  constructor(
    message: string,
    /** Short machine-readable reason, carried in the DLQ header. */
    readonly reason: string = 'permanent-failure',
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export type EventValidationReason = 'malformed-json' | 'invalid-envelope' | 'unknown-event-type' | 'invalid-payload';

/** An incoming or outgoing event that does not match the catalog. */
export class EventValidationError extends PermanentError {
  constructor(
    reason: EventValidationReason,
    message: string,
    readonly issues?: unknown,
  ) {
    super(message, reason);
  }
}

export function isPermanentError(error: unknown): error is PermanentError {
  return (
    error instanceof PermanentError ||
    (typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true)
  );
}
