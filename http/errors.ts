import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { Logger } from '../logging/logger';

export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_JSON'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PAYLOAD_TOO_LARGE'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

/** An answer other than success, in API.md's shape: {"error": {code, message, details}}. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
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

// PostgreSQL or the network refusing service: the dependency is down, the request did nothing.
const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '08000', '08003', '08006', '53300']);
// gRPC status codes with which Temporal's client reports an unreachable server.
const grpcUnavailable = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);
const unavailableMessage = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not connected to RabbitMQ/i;

/** True when the error, or any error it wraps (drizzle and Temporal wrap theirs), says a dependency is down. */
export function isUnavailable(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && unavailableCodes.has(code)) return true;
    if (typeof code === 'number' && grpcUnavailable.has(code)) return true;
    if (unavailableMessage.test(current.message)) return true;
  }
  return false;
}

/** Turns anything thrown into API.md's error shape; never a stack trace, never a 500 for bad input. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 413) return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'request body too large');
    if (error.status === 400 && /JSON/i.test(error.message)) return new ApiError(400, 'MALFORMED_JSON', 'request body is not valid JSON');
    return new ApiError(error.status as ContentfulStatusCode, error.status === 400 ? 'VALIDATION_FAILED' : 'INTERNAL_ERROR', error.message);
  }
  if (isUnavailable(error)) return new ApiError(503, 'SERVICE_UNAVAILABLE', 'a dependency is unavailable; nothing was changed, try again');
  return new ApiError(500, 'INTERNAL_ERROR', 'internal error');
}

export function errorHandler(logger: Logger) {
  return (error: unknown, c: Context) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) logger.error('request failed', { error, method: c.req.method, path: c.req.path, status: apiError.status });
    return c.json(errorBody(apiError), apiError.status);
  };
}
