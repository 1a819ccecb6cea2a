import type { MiddlewareHandler } from 'hono';
import { ApiError, errorBody } from './errors';

/** Every method some route of the API serves; anything else (TRACE, PROPFIND, …) no instance would act on. */
export const servedMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const served = new Set<string>(servedMethods);

/**
 * Answers 405 before any route is involved, on the gateway and on every
 * instance: an unknown method is the client's mistake, and on the gateway it
 * says nothing about the instances (it must never mark one down).
 */
export function rejectUnservedMethods(): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method.toUpperCase();
    if (served.has(method)) return next();
    const error = new ApiError(405, 'METHOD_NOT_ALLOWED', `method ${method} is not allowed; use one of ${servedMethods.join(', ')}`);
    return c.json(errorBody(error), 405, { Allow: servedMethods.join(', ') });
  };
}
