import type { Context } from 'hono';
import { routePath } from 'hono/route';

/**
 * The template of the route that answered (`/consultations/:id`), never the
 * raw path, so an id never becomes a metric label or a span name. A request
 * no route took (a 404 for an unknown path) is `unmatched`.
 */
export function routeTemplate(c: Context): string {
  const template = routePath(c, -1);
  return !template || template === '*' || template === '/*' ? 'unmatched' : template;
}
