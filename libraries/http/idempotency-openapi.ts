import type { MiddlewareHandler } from 'hono';
import { idempotencyHeader } from './idempotency';

type Parameter = { name?: string; in?: string };
type Document = { paths?: Record<string, Record<string, { parameters?: Parameter[] } | undefined>> };

const parameter = {
  name: idempotencyHeader,
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: the same key with the same request gets the first answer (and `Idempotent-Replayed: true`) without running the command again; ' +
    'the same key with another request is 422 IDEMPOTENCY_KEY_REUSED. Keys are kept for IDEMPOTENCY_RETENTION_HOURS.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};

/**
 * Adds the Idempotency-Key header to every POST of the service's commands in
 * the generated document (the routes' own schemas do not all declare it).
 * Operations' own POSTs (`/admin/…`: a DLQ replay or purge, a read-model
 * rebuild) take no key: a message replayed or purged is no longer there to be
 * done twice, and a second rebuild while one runs is a 409.
 */
export function addIdempotencyKeyParameter(document: Document): Document {
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    if (path.startsWith('/admin/')) continue;
    const post = operations.post;
    if (!post) continue;
    const declared = (post.parameters ?? []).some((p) => p.in === 'header' && p.name?.toLowerCase() === idempotencyHeader.toLowerCase());
    if (!declared) post.parameters = [...(post.parameters ?? []), parameter];
  }
  return document;
}

/** For `/openapi.json`: rewrites the generated document on its way out. */
export function documentIdempotencyKey(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.status !== 200 || !c.res.headers.get('content-type')?.includes('json')) return;
    const document = addIdempotencyKeyParameter((await c.res.json()) as Document);
    c.res = new Response(JSON.stringify(document), { status: 200, headers: c.res.headers });
  };
}
