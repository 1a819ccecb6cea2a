import type { RouteConfig } from '@hono/zod-openapi';
import { errorResponses } from '../http/schemas';
import { accessPolicy, type Operation } from './policy';

/** The OpenAPI security scheme every secured operation names. */
export const bearerScheme = {
  name: 'bearerAuth',
  scheme: {
    type: 'http' as const,
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'An access token from the issuer (AUTH_ISSUER); `npm run --silent token -- --role staff` prints one on a development machine.',
  },
};

/** A route under docs/api.md §13's table: which operation of it, for the guard, and for readers of the OpenAPI document. */
export type SecuredRoute = RouteConfig & { 'x-hap-access': { operation: Operation } };

/**
 * A route that needs a bearer token and is checked against the access table
 * as `operation`: documented with the scheme, the roles and their grants
 * (`x-hap-access`), and the 401 and 403 answers. The instance's guard
 * (libraries/auth/guard.ts) enforces what this documents.
 */
export function secured<const R extends RouteConfig>(operation: Operation, route: R) {
  const { grants } = accessPolicy[operation];
  const roles = Object.entries(grants).map(([role, grant]) => (grant === 'own' ? `${role} (own)` : role));
  return {
    ...route,
    description: [route.description, `Roles: ${roles.join(', ')}.`].filter(Boolean).join('\n\n'),
    security: [{ [bearerScheme.name]: [] }],
    'x-hap-access': { operation, grants },
    responses: { ...route.responses, ...errorResponses(401, 403) },
  } as R & {
    'x-hap-access': { operation: Operation; grants: typeof grants };
    responses: R['responses'] & ReturnType<typeof errorResponses<[401, 403]>>;
  };
}
