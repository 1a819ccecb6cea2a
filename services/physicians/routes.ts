import { entityRoutes } from '../../libraries/runtime/entity';
import type { InstanceContext } from '../../libraries/runtime/service-instance';
import { physicianApi, slotsRoute } from './api';
import { physicianEntity } from './entity';
import { toSlotResource } from './model';
import { findTakenSlots, physicianQueries } from './queries';
import { slotShows } from './slots';
import { readYourWrites } from '../../libraries/http/consistency';

/**
 * /physicians: commands write the shared write database; physician queries
 * read this instance's read model only. Slots are the exception (see findTakenSlots).
 */
export function physicianRoutes(context: InstanceContext) {
  const write = context.databases.write.db;
  // A physician is their own, and no one else's.
  const owners = async (_read: unknown, id: string) => ({ physician: [id] });
  // After a booking or a cancellation: its slot must show that consultation version (held, confirmed, released).
  const caughtUp = readYourWrites((token) => slotShows(write, token), context.config.CONSISTENCY_WAIT_MS);
  return entityRoutes(physicianEntity, physicianApi, physicianQueries, context, owners).openapi(context.guard(slotsRoute), async (c) => {
    await caughtUp(c);
    const slots = await findTakenSlots(write, c.req.valid('param').id);
    return c.json({ items: slots.map(toSlotResource) }, 200);
  });
}

/** The physicians HTTP API, for typed clients (`hc<PhysiciansApp>(url)`). */
export type PhysiciansApp = ReturnType<typeof physicianRoutes>;
