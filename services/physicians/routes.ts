import { ApiError } from '../../http/errors';
import type { ServiceApp } from '../../http/app';
import { idempotentCommands, respond } from '../../http/idempotency';
import type { InstanceContext } from '../runtime/instance';
import { deactivateRoute, getRoute, listRoute, registerRoute, slotsRoute, updateRoute } from './api';
import { deactivatePhysician, registerPhysician, updatePhysician } from './commands';
import { toPhysicianResource, toSlotResource } from './model';
import { findPhysician, findTakenSlots, listPhysicians } from './queries';

/**
 * Commands write the shared write database; physician queries read this
 * instance's read model only. Slots are the exception (see findTakenSlots).
 */
export function physicianRoutes(app: ServiceApp, { databases }: InstanceContext): void {
  const write = databases.write.db;
  const read = databases.read.db;
  // POSTs run once per Idempotency-Key; the answer commits with the command.
  const once = idempotentCommands(databases.write);
  app
    .openapi(registerRoute, async (c) => {
      const input = c.req.valid('json');
      const answer = await once(c, input, async (db) => {
        const physician = await registerPhysician(db, input, c.get('correlationId'));
        return { status: 201 as const, body: toPhysicianResource(physician), headers: { Location: `/physicians/${physician.id}` } };
      });
      return respond(c, answer);
    })
    .openapi(getRoute, async (c) => {
      const { id } = c.req.valid('param');
      const physician = await findPhysician(read, id);
      if (!physician) throw ApiError.notFound('physician', id);
      return c.json(toPhysicianResource(physician), 200);
    })
    .openapi(listRoute, async (c) => {
      const items = await listPhysicians(read, c.req.valid('query'));
      return c.json({ items: items.map(toPhysicianResource) }, 200);
    })
    .openapi(updateRoute, async (c) => {
      const { id } = c.req.valid('param');
      const physician = await updatePhysician(write, id, c.req.valid('json'), c.get('correlationId'));
      if (!physician) throw ApiError.notFound('physician', id);
      return c.json(toPhysicianResource(physician), 200);
    })
    .openapi(deactivateRoute, async (c) => {
      const { id } = c.req.valid('param');
      const answer = await once(c, null, async (db) => {
        const physician = await deactivatePhysician(db, id, c.get('correlationId'));
        if (!physician) throw ApiError.notFound('physician', id);
        return { status: 200 as const, body: toPhysicianResource(physician) };
      });
      return respond(c, answer);
    })
    .openapi(slotsRoute, async (c) => {
      const { id } = c.req.valid('param');
      const slots = await findTakenSlots(write, id);
      if (!slots) throw ApiError.notFound('physician', id);
      return c.json({ items: slots.map(toSlotResource) }, 200);
    });
}
