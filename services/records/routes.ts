import { eq } from 'drizzle-orm';
import { bodyField, narrowed, ownersOf, ownScope } from '../../auth/guard';
import { createRouter } from '../../http/app';
import { idempotentCommands, respond } from '../../http/idempotency';
import { NotFoundError } from '../../lib/domain-errors';
import type { InstanceContext } from '../../runtime/service-instance';
import { createRecordRoute, getRoute, listRoute, updateRoute } from './api';
import { createRecord, updateRecord, type WrittenRecord } from './commands';
import { toRecordResource } from './model';
import { findRecord, listRecords, recordOwners } from './queries';
import { knownConsultations, records } from './write-schema';

const recordAnswer = ({ record, consultationStatus }: WrittenRecord) => toRecordResource({ ...record, consultationStatus });

/**
 * /records: commands write the shared write database; queries read this
 * instance's read model only. Records are their patient's and their
 * physician's; only the consultation's physician writes them. Every access is
 * audited (auth/policy.ts).
 */
export function recordRoutes({ databases, guard }: InstanceContext) {
  const write = databases.write.db;
  const read = databases.read.db;
  // POSTs run once per Idempotency-Key; the answer commits with the command.
  const once = idempotentCommands(databases.write);
  const forConsultation = {
    resource: {
      kind: 'consultation',
      id: bodyField('consultationId'),
      owners: async (id: string) => ownersOf((await write.select().from(knownConsultations).where(eq(knownConsultations.id, id)))[0]),
    },
  };
  const viewed = { resource: { kind: 'record', owners: (id: string) => recordOwners(read, id) } };
  const written = {
    resource: { kind: 'record', owners: async (id: string) => ownersOf((await write.select().from(records).where(eq(records.id, id)))[0]) },
  };
  return createRouter()
    .openapi(guard(createRecordRoute, forConsultation), async (c) => {
      const input = c.req.valid('json');
      const answer = await once(c, input, async (db) => {
        const outcome = await createRecord(db, input, c.get('correlationId'));
        return { status: 201 as const, body: recordAnswer(outcome), headers: { Location: `/records/${outcome.record.id}` } };
      });
      return respond(c, answer);
    })
    .openapi(guard(getRoute, viewed), async (c) => {
      const { id } = c.req.valid('param');
      const record = await findRecord(read, id);
      if (!record) throw new NotFoundError('record', id);
      return c.json(toRecordResource(record), 200);
    })
    .openapi(guard(listRoute), async (c) => {
      const filter = narrowed(c.req.valid('query'), ownScope(c));
      const items = filter ? await listRecords(read, filter) : [];
      return c.json({ items: items.map(toRecordResource) }, 200);
    })
    .openapi(guard(updateRoute, written), async (c) => {
      const { id } = c.req.valid('param');
      return c.json(recordAnswer(await updateRecord(write, id, c.req.valid('json'), c.get('correlationId'))), 200);
    });
}

/** The clinical records HTTP API, for typed clients (`hc<RecordsApp>(url)`). */
export type RecordsApp = ReturnType<typeof recordRoutes>;
