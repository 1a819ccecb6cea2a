import { ApiError } from '../../http/errors';
import type { ServiceApp } from '../../http/app';
import { idempotentCommands, respond } from '../../http/idempotency';
import type { InstanceContext } from '../runtime/instance';
import { deactivateRoute, getRoute, listRoute, registerRoute, updateRoute } from './api';
import { deactivatePatient, registerPatient, updatePatient } from './commands';
import { toPatientResource } from './model';
import { findPatient, listPatients } from './queries';

/** Commands write the shared write database; queries read this instance's read model only. */
export function patientRoutes(app: ServiceApp, { databases }: InstanceContext): void {
  const write = databases.write.db;
  const read = databases.read.db;
  // POSTs run once per Idempotency-Key; the answer commits with the command.
  const once = idempotentCommands(databases.write);
  app
    .openapi(registerRoute, async (c) => {
      const input = c.req.valid('json');
      const answer = await once(c, input, async (db) => {
        const patient = await registerPatient(db, input, c.get('correlationId'));
        return { status: 201 as const, body: toPatientResource(patient), headers: { Location: `/patients/${patient.id}` } };
      });
      return respond(c, answer);
    })
    .openapi(getRoute, async (c) => {
      const { id } = c.req.valid('param');
      const patient = await findPatient(read, id);
      if (!patient) throw ApiError.notFound('patient', id);
      return c.json(toPatientResource(patient), 200);
    })
    .openapi(listRoute, async (c) => {
      const items = await listPatients(read, c.req.valid('query'));
      return c.json({ items: items.map(toPatientResource) }, 200);
    })
    .openapi(updateRoute, async (c) => {
      const { id } = c.req.valid('param');
      const patient = await updatePatient(write, id, c.req.valid('json'), c.get('correlationId'));
      if (!patient) throw ApiError.notFound('patient', id);
      return c.json(toPatientResource(patient), 200);
    })
    .openapi(deactivateRoute, async (c) => {
      const { id } = c.req.valid('param');
      const answer = await once(c, null, async (db) => {
        const patient = await deactivatePatient(db, id, c.get('correlationId'));
        if (!patient) throw ApiError.notFound('patient', id);
        return { status: 200 as const, body: toPatientResource(patient) };
      });
      return respond(c, answer);
    });
}
