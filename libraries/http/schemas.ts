import { z } from '@hono/zod-openapi';

/** docs/api.md §3's error body, for the OpenAPI document. */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export const idParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 503;
type ErrorResponse = { description: string; content: { 'application/json': { schema: typeof errorSchema } } };

/** The error answers a route declares, by status; typed per status, so a typed client sees them too. */
export const errorResponses = <const S extends ErrorStatus[]>(...statuses: S) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: errorDescriptions[status], content: { 'application/json': { schema: errorSchema } } },
    ]),
  ) as { [K in S[number]]: ErrorResponse };

const errorDescriptions = {
  400: 'malformed or invalid input: which field and why',
  401: 'no token, or one that is malformed, expired, wrongly signed or for another audience (WWW-Authenticate says which)',
  403: "the token's role may not do this",
  404: "unknown id, or someone else's",
  409: 'the current state does not allow it',
  413: 'body too large',
  422: 'an Idempotency-Key already used for a different request',
  503: 'a dependency is down; nothing was changed',
};

/** A JSON request body: one that must be present unless `{ required: false }` (a POST whose body may be left out). */
export const jsonBody = <T extends z.ZodType>(schema: T, { required = true }: { required?: boolean } = {}) => ({
  required,
  content: { 'application/json': { schema } },
});

/** A JSON answer: its schema and what it is. */
export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** The answer to a list query: docs/api.md's `{items: [...]}` of the given item schema. */
export const listContent = <T extends z.ZodType>(item: T, description: string) =>
  jsonContent(z.object({ items: z.array(item) }), description);
