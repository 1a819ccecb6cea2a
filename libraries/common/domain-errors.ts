/**
 * The errors a command throws when the request cannot be carried out, in the
 * domain's terms. libraries/http/errors.ts maps them to answers in one place (404, 409, 422);
 * a saga activity maps them to failures that are not retried.
 */

/** The thing a command was asked to act on does not exist. */
export class NotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
    this.name = 'NotFoundError';
  }
}

/** A request key (an Idempotency-Key) already named another request: a client's mistake, not a retry. */
export class RequestKeyReusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestKeyReusedError';
  }
}

/** The thing exists, but its state does not allow the command. `details` says which state, for the client. */
export class ConflictError extends Error {
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}
