import { createRouter } from '../../http/app';
import { idempotentCommands, respond } from '../../http/idempotency';
import { NotFoundError } from '../../lib/domain-errors';
import type { InstanceContext } from '../../runtime/service-instance';
import { createRecordRoute, getRoute, listRoute, updateRoute } from './api';
import { createRecord, updateRecord, type WrittenRecord } from './commands';
import { toRecordResource } from './model';
import { findRecord, listRecords } from './queries';

const written = ({ record, consultationStatus }: WrittenRecord) => toRecordResource({ ...record, consultationStatus });

/** /records: commands write the shared write database; queries read this instance's read model only. */
export function recordRoutes({ databases }: InstanceContext) {
  const write = databases.write.db;
  const read = databases.read.db;
  // POSTs run once per Idempotency-Key; the answer commits with the command.
  const once = idempotentCommands(databases.write);
  return createRouter()
    .openapi(createRecordRoute, async (c) => {
      const input = c.req.valid('json');
      const answer = await once(c, input, async (db) => {
        const outcome = await createRecord(db, input, c.get('correlationId'));
        return { status: 201 as const, body: written(outcome), headers: { Location: `/records/${outcome.record.id}` } };
      });
      return respond(c, answer);
    })
    .openapi(getRoute, async (c) => {
      const { id } = c.req.valid('param');
      const record = await findRecord(read, id);
      if (!record) throw new NotFoundError('record', id);
      return c.json(toRecordResource(record), 200);
    })
    .openapi(listRoute, async (c) => {
      const items = await listRecords(read, c.req.valid('query'));
      return c.json({ items: items.map(toRecordResource) }, 200);
    })
    .openapi(updateRoute, async (c) => {
      const { id } = c.req.valid('param');
      return c.json(written(await updateRecord(write, id, c.req.valid('json'), c.get('correlationId'))), 200);
    });
}

/** The clinical records HTTP API, for typed clients (`hc<RecordsApp>(url)`). */
export type RecordsApp = ReturnType<typeof recordRoutes>;
