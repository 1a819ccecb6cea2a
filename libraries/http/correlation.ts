import type { MiddlewareHandler } from 'hono';

export const correlationHeader = 'X-Correlation-Id';

export type CorrelationVariables = { correlationId: string };

/**
 * Takes the caller's X-Correlation-Id (or makes one), exposes it to handlers
 * so that every event the request causes carries it, and echoes it back.
 */
export function correlation(): MiddlewareHandler<{ Variables: CorrelationVariables }> {
  return async (c, next) => {
    const given = c.req.header(correlationHeader)?.trim();
    const correlationId = given && given.length <= 200 ? given : crypto.randomUUID();
    c.set('correlationId', correlationId);
    c.header(correlationHeader, correlationId);
    await next();
    c.header(correlationHeader, correlationId);
  };
}
