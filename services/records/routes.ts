import { ApiError } from '../../http/errors';
import type { ServiceApp } from '../../http/app';
import { idempotentCommands, respond } from '../../http/idempotency';
import type { InstanceContext } from '../runtime/instance';
import { createRecordRoute, getRoute, listRoute, updateRoute } from './api';
import { createRecord, updateRecord, type WrittenRecord } from './commands';
import { toRecordResource } from './model';
import { findRecord, listRecords } from './queries';

const written = ({ record, consultationStatus }: WrittenRecord) => toRecordResource({ ...record, consultationStatus });

/** Commands write the shared write database; queries read this instance's read model only. */
export function recordRoutes(app: ServiceApp, { databases }: InstanceContext): void {
  const write = databases.write.db;
  const read = databases.read.db;
  // POSTs run once per Idempotency-Key; the answer commits with the command.
  const once = idempotentCommands(databases.write);
  app
    .openapi(createRecordRoute, async (c) => {
      const input = c.req.valid('json');
      const answer = await once(c, input, async (db) => {
        const outcome = await createRecord(db, input, c.get('correlationId'));
        if (outcome.kind === 'unknown-consultation') throw ApiError.notFound('consultation', input.consultationId);
        if (outcome.kind === 'consultation-not-open') {
          throw ApiError.conflict(
            `consultation ${input.consultationId} is ${outcome.status}: records are written for SCHEDULED or DONE consultations only`,
            {
              consultationStatus: outcome.status,
            },
          );
        }
        return { status: 201 as const, body: written(outcome), headers: { Location: `/records/${outcome.record.id}` } };
      });
      return respond(c, answer);
    })
    .openapi(getRoute, async (c) => {
      const { id } = c.req.valid('param');
      const record = await findRecord(read, id);
      if (!record) throw ApiError.notFound('record', id);
      return c.json(toRecordResource(record), 200);
    })
    .openapi(listRoute, async (c) => {
      const items = await listRecords(read, c.req.valid('query'));
      return c.json({ items: items.map(toRecordResource) }, 200);
    })
    .openapi(updateRoute, async (c) => {
      const { id } = c.req.valid('param');
      const outcome = await updateRecord(write, id, c.req.valid('json'), c.get('correlationId'));
      if (outcome.kind === 'not-found') throw ApiError.notFound('record', id);
      if (outcome.kind === 'voided') throw ApiError.conflict(`record ${id} is VOIDED and can no longer be changed`, { status: 'VOIDED' });
      return c.json(written(outcome), 200);
    });
}
