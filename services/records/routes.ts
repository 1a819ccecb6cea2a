import { eq } from 'drizzle-orm';
import { bodyField, narrowed, ownersOf, ownScope } from '../../libraries/auth/guard';
import { createRouter } from '../../libraries/http/app';
import { idempotentCommands, respond } from '../../libraries/http/idempotency';
import { NotFoundError } from '../../libraries/common/domain-errors';
import type { InstanceContext } from '../../libraries/runtime/service-instance';
import { createRecordRoute, getRoute, listRoute, updateRoute } from './api';
import { createRecord, updateRecord, type WrittenRecord } from './commands';
import { toRecordResource } from './model';
import { findRecord, knowsConsultation, listRecords, recordOwners, showsVersion } from './queries';
import { consistencyHeader, formatConsistencyToken, readYourWrites } from '../../libraries/http/consistency';
import { knownConsultations, records } from './write-schema';

const recordAnswer = ({ record, consultationStatus }: WrittenRecord) => toRecordResource({ ...record, consultationStatus });
const recordToken = ({ record }: WrittenRecord) => formatConsistencyToken({ id: record.id, version: record.version });

/**
 * /records: commands write the shared write database; queries read this
 * instance's read model only. Records are their patient's and their
 * physician's; only the consultation's physician writes them. Every access is
 * audited (libraries/auth/policy.ts).
 */
export function recordRoutes({ databases, guard, config }: InstanceContext) {
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
  // Writes wait for a consultation's token (from scheduling) in the consultations records knows; reads for a consultation's or a record's in the read model.
  const knows = readYourWrites((token) => knowsConsultation(write, token), config.CONSISTENCY_WAIT_MS);
  const shows = readYourWrites((token) => showsVersion(read, write, token), config.CONSISTENCY_WAIT_MS);
  const viewed = { resource: { kind: 'record', owners: (id: string) => recordOwners(read, id) } };
  const written = {
    resource: { kind: 'record', owners: async (id: string) => ownersOf((await write.select().from(records).where(eq(records.id, id)))[0]) },
  };
  return createRouter()
    .openapi(guard(createRecordRoute, forConsultation), async (c) => {
      const input = c.req.valid('json');
      await knows(c);
      const answer = await once(c, input, async (db) => {
        const outcome = await createRecord(db, input, c.get('correlationId'));
        const headers = { Location: `/records/${outcome.record.id}`, [consistencyHeader]: recordToken(outcome) };
        return { status: 201 as const, body: recordAnswer(outcome), headers };
      });
      return respond(c, answer);
    })
    .openapi(guard(getRoute, viewed), async (c) => {
      const { id } = c.req.valid('param');
      await shows(c);
      const record = await findRecord(read, id);
      if (!record) throw new NotFoundError('record', id);
      return c.json(toRecordResource(record), 200);
    })
    .openapi(guard(listRoute), async (c) => {
      const filter = narrowed(c.req.valid('query'), ownScope(c));
      await shows(c);
      const items = filter ? await listRecords(read, filter) : [];
      return c.json({ items: items.map(toRecordResource) }, 200);
    })
    .openapi(guard(updateRoute, written), async (c) => {
      const { id } = c.req.valid('param');
      const outcome = await updateRecord(write, id, c.req.valid('json'), c.get('correlationId'));
      c.header(consistencyHeader, recordToken(outcome));
      return c.json(recordAnswer(outcome), 200);
    });
}

/** The clinical records HTTP API, for typed clients (`hc<RecordsApp>(url)`). */
export type RecordsApp = ReturnType<typeof recordRoutes>;
