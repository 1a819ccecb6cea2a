import { createRoute, z } from '@hono/zod-openapi';
import type { Guard } from '../auth/guard';
import { secured } from '../auth/secured';
import { createRouter } from '../http/app';
import { errorResponses, jsonContent } from '../http/schemas';
import type { ReadModelFeed } from './read-model-feed';

export const rebuildRoute = createRoute(
  secured('readModel.rebuild', {
    method: 'post',
    path: '/admin/read-model/rebuild',
    tags: ['read model'],
    summary:
      "Empties this instance's read model and rebuilds it from the event history, then takes its queue again; /ready fails and reads answer 503 meanwhile",
    responses: {
      202: jsonContent(z.object({ status: z.literal('rebuilding') }), 'the rebuild is under way; /ready says when it is done'),
      ...errorResponses(409, 503),
    },
  }),
);

/** POST /admin/read-model/rebuild on an instance (admin): the other instances keep serving meanwhile. */
export function readModelRoutes(guard: Guard, feed: Pick<ReadModelFeed, 'rebuild'>) {
  return createRouter().openapi(guard(rebuildRoute), async (c) => {
    await feed.rebuild();
    return c.json({ status: 'rebuilding' as const }, 202);
  });
}
