import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../http/errors';
import type { Principal } from './roles';
import { InvalidTokenError, KeysUnavailableError, type TokenVerifier } from './verifier';

export type AuthVariables = { principal: Principal };

/** What anyone may fetch without a token: probes, the API's description, and the keys that verify tokens. */
export const publicPaths = [
  '/health',
  '/ready',
  '/openapi.json',
  '/docs',
  '/asyncapi.json',
  '/asyncapi',
  '/.well-known/jwks.json',
] as const;
// The two pages' own assets are public with them.
const isPublic = (path: string) =>
  publicPaths.some((open) => path === open || ((open === '/docs' || open === '/asyncapi') && path.startsWith(`${open}/`)));

const realm = 'Bearer realm="hap"';

/**
 * Every request but the public paths carries `Authorization: Bearer <JWT>`,
 * verified here: missing, malformed, expired, wrongly signed or for another
 * audience is a 401 with WWW-Authenticate (RFC 6750). What the caller may do
 * is decided per operation (libraries/auth/guard.ts).
 */
export function authenticate(verifier: TokenVerifier): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    if (isPublic(c.req.path)) return next();
    const header = c.req.header('authorization');
    if (!header) throw unauthenticated('a bearer token is required (Authorization: Bearer <token>)', realm);
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
    if (!match) throw unauthenticated('the Authorization header must be "Bearer <token>"', `${realm}, error="invalid_request"`);
    try {
      c.set('principal', await verifier.verify(match[1]!));
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        throw unauthenticated(error.message, `${realm}, error="invalid_token", error_description="${error.message.replaceAll('"', "'")}"`);
      }
      if (error instanceof KeysUnavailableError) throw new ApiError(503, 'SERVICE_UNAVAILABLE', `${error.message}; try again`);
      throw error;
    }
    await next();
  };
}

function unauthenticated(message: string, challenge: string): ApiError {
  return new ApiError(401, 'UNAUTHENTICATED', message, undefined, { 'WWW-Authenticate': challenge });
}
