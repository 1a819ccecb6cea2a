import type { MiddlewareHandler } from 'hono';

/** Every method some route of the API serves; anything else (TRACE, PROPFIND, …) no instance would act on. */
export const servedMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const served = new Set<string>(servedMethods);

/**
 * Answers 405 before any route or instance is involved: an unknown method is
 * the client's mistake and says nothing about the instances. The body has
 * API.md's error shape; METHOD_NOT_ALLOWED is not (yet) one of the shared
 * ErrorCode values, hence built here.
 */
export function rejectUnservedMethods(): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method.toUpperCase();
    if (served.has(method)) return next();
    return c.json({ error: { code: 'METHOD_NOT_ALLOWED', message: `method ${method} is not allowed; use one of ${servedMethods.join(', ')}` } }, 405, {
      Allow: servedMethods.join(', '),
    });
  };
}
