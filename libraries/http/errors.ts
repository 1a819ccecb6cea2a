import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { serverSqlState } from '../db/errors';
import { causes } from '../common/causes';
import { ConflictError, NotFoundError, RequestKeyReusedError } from '../common/domain-errors';
import type { Logger } from '../observability/logging/logger';
import { isSafeMethod } from './safe-methods';

export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'MALFORMED_JSON'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PAYLOAD_TOO_LARGE'
  | 'METHOD_NOT_ALLOWED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

/** An answer other than success, in docs/api.md §3's shape: {"error": {code, message, details}}. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Headers the answer must carry (WWW-Authenticate on a 401). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  static notFound(what: string, id: string): ApiError {
    return new ApiError(404, 'NOT_FOUND', `${what} ${id} not found`);
  }

  static conflict(message: string, details?: unknown): ApiError {
    return new ApiError(409, 'CONFLICT', message, details);
  }
}

/** One entry per broken field, so that a client can show it next to the field. */
export function validationError(error: ZodError, where: string): ApiError {
  const details = error.issues.map((issue) => {
    const path = issue.path.join('.');
    // An unknown key is named by the key itself, not by the object that holds it.
    const field = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => (path ? `${path}.${key}` : key)).join(', ') : path || where;
    return { field, message: issue.message };
  });
  const summary = details.map((detail) => `${detail.field}: ${detail.message}`).join('; ');
  return new ApiError(400, 'VALIDATION_FAILED', `invalid ${where}: ${summary}`, details);
}

export function errorBody(error: ApiError) {
  return { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
}

/**
 * A dependency that failed, and what the failure proves. 'not-sent': the
 * connection was never made or the server refused the session before any
 * command, so nothing can have changed. 'unknown': the connection broke or
 * timed out with a command possibly sent, so a commit or a saga start may
 * have happened all the same.
 */
export type DependencyFailure = 'not-sent' | 'unknown';

// ECONNREFUSED, DNS failures; 57P03 cannot_connect_now, 53300 too_many_connections, 08001/08004: refused at connect.
// 57014 (statement timeout), 40001 (serialization failure), 40P01 (deadlock): PostgreSQL rolled the transaction back.
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', '57P03', '53300', '08001', '08004', '57014', '40001', '40P01']);
// A broken or shut-down session, a timed-out socket: the last command may have run.
// HAP_COMMIT_OUTCOME_UNKNOWN: libraries/db/pool.ts saw the connection break during COMMIT.
const unknownCodes = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '08000',
  '08003',
  '08006',
  '08007',
  'HAP_COMMIT_OUTCOME_UNKNOWN',
]);
// pg-pool's and pg's connect timeouts, pg refusing a query on a client already broken, the broker channel down.
const notSentMessage =
  /timeout exceeded when trying to connect|Connection terminated due to connection timeout|Client has encountered a connection error|not connected to RabbitMQ/i;
const unknownMessage = /Connection terminated/i;
// gRPC status codes with which Temporal's client reports an unreachable server.
const grpcUnavailable = 14;
const grpcDeadlineExceeded = 4;
// UNAVAILABLE proves nothing was sent only when the channel never connected.
const grpcNotConnected = /No connection established|ECONNREFUSED|Name resolution failed|failed to connect|DNS resolution failed/i;

function classify(error: Error): DependencyFailure | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (notSentCodes.has(code)) return 'not-sent';
    if (unknownCodes.has(code)) return 'unknown';
  }
  if (code === grpcUnavailable) return grpcNotConnected.test(error.message) ? 'not-sent' : 'unknown';
  if (code === grpcDeadlineExceeded) return 'unknown';
  if (notSentMessage.test(error.message)) return 'not-sent';
  if (unknownMessage.test(error.message)) return 'unknown';
  return undefined;
}

/** Looks through the error and every error it wraps (drizzle and Temporal wrap theirs); any 'unknown' wins. */
export function dependencyFailure(error: unknown): DependencyFailure | undefined {
  let found: DependencyFailure | undefined;
  for (const link of causes(error)) {
    if (!(link instanceof Error)) continue;
    const kind = classify(link);
    if (kind === 'unknown') return kind;
    found ??= kind;
  }
  return found;
}

/**
 * Turns anything thrown into docs/api.md §3's error shape; never a stack trace, never
 * a 500 for bad input. `method` tells a read (which changes nothing whatever
 * happened) from a command whose outcome a broken connection leaves unknown;
 * without it, the error is taken to be a command's.
 */
export function toApiError(error: unknown, method = 'POST'): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof NotFoundError) return new ApiError(404, 'NOT_FOUND', error.message);
  if (error instanceof ConflictError) return new ApiError(409, 'CONFLICT', error.message, error.details);
  if (error instanceof RequestKeyReusedError) return new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', error.message);
  if (error instanceof HTTPException) {
    if (error.status === 413) return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'request body too large');
    if (error.status === 400 && /JSON/i.test(error.message)) return new ApiError(400, 'MALFORMED_JSON', 'request body is not valid JSON');
    return new ApiError(error.status as ContentfulStatusCode, error.status === 400 ? 'VALIDATION_FAILED' : 'INTERNAL_ERROR', error.message);
  }
  const failure = dependencyFailure(error);
  if (failure === 'unknown' && !isSafeMethod(method)) {
    return new ApiError(503, 'SERVICE_UNAVAILABLE', 'outcome unknown; retry with the same Idempotency-Key', { outcome: 'unknown' });
  }
  if (failure) return new ApiError(503, 'SERVICE_UNAVAILABLE', 'a dependency is unavailable; nothing was changed, try again');
  // The last line behind the request schemas: PostgreSQL refusing a value (SQLSTATE class 22) is bad input, not our fault.
  const state = serverSqlState(error);
  if (state?.startsWith('22'))
    return new ApiError(400, 'VALIDATION_FAILED', `a value in the request cannot be stored (SQLSTATE ${state}); nothing was changed`);
  return new ApiError(500, 'INTERNAL_ERROR', 'internal error');
}

export function errorHandler(logger: Logger) {
  return (error: unknown, c: Context) => {
    const apiError = toApiError(error, c.req.method);
    if (apiError.status >= 500) logger.error('request failed', { error, method: c.req.method, path: c.req.path, status: apiError.status });
    return c.json(errorBody(apiError), apiError.status, apiError.headers);
  };
}
