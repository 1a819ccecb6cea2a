import type { Client } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemporalClient } from '../../libraries/runtime/temporal-client';
import { databaseName, databaseRole, databaseUrl } from '../../libraries/db/database';
import type { RunningInstance } from '../../libraries/runtime/service-instance';
import { patientsService } from '../../services/patients/service';
import { recordsService } from '../../services/records/service';
import { schedulingService } from '../../services/scheduling/service';
import { pgUrlAs } from '../../tools/toolchain/postgres-roles';
import { startTestInstance } from '../support/instances';
import { createSandbox, type TestSandbox } from '../support/sandbox';

/** What PostgreSQL answers a role that runs `statement` in `database`: 'ok', or the SQLSTATE it refused with. */
async function asRole(sandbox: TestSandbox, owner: string, database: string, statement: string): Promise<string> {
  const role = databaseRole(sandbox.prefix, owner);
  const client = new pg.Client({ connectionString: databaseUrl(pgUrlAs(sandbox.config().PG_URL, { role, password: role }), database) });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(statement);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

describe('least-privilege database roles (one per service, and the saga worker)', () => {
  let sandbox: TestSandbox;
  const instances: RunningInstance[] = [];
  const db = (service: string) => databaseName(sandbox.prefix, service);

  beforeAll(async () => {
    sandbox = await createSandbox('db-roles');
    const config = sandbox.config();
    // Scheduling without Temporal: only its databases and its grant to the worker matter here.
    const scheduling = schedulingService({ client: {} as Client, check: async () => {} } as unknown as TemporalClient, 'unused');
    for (const definition of [patientsService, recordsService, { ...scheduling, checks: [], jobs: undefined }]) {
      instances.push(await startTestInstance(definition, config, 'instance-1'));
    }
  });

  afterAll(async () => {
    for (const instance of instances) await instance.stop();
    await sandbox?.remove();
  });

  it('lets each service into its own databases only', async () => {
    expect(await asRole(sandbox, 'patients', db('patients'), 'SELECT count(*) FROM patients')).toBe('ok');
    expect(await asRole(sandbox, 'patients', databaseName(sandbox.prefix, 'patients', 'read', 'instance-1'), 'SELECT 1')).toBe('ok');
    // 42501 insufficient_privilege: no CONNECT on another service's database.
    expect(await asRole(sandbox, 'records', db('patients'), 'SELECT 1')).toBe('42501');
    expect(await asRole(sandbox, 'patients', db('records'), 'SELECT 1')).toBe('42501');
    expect(await asRole(sandbox, 'patients', 'postgres', `CREATE DATABASE ${db('patients')}_extra`)).toBe('42501');
    expect(await asRole(sandbox, 'patients', 'postgres', `CREATE ROLE ${db('patients')}_extra`)).toBe('42501');
  });

  it('gives the saga worker the consultation table of scheduling and nothing else', async () => {
    expect(await asRole(sandbox, 'worker', db('scheduling'), 'SELECT count(*) FROM consultations')).toBe('ok');
    expect(await asRole(sandbox, 'worker', db('scheduling'), 'DELETE FROM consultations')).toBe('42501');
    expect(await asRole(sandbox, 'worker', db('scheduling'), 'SELECT count(*) FROM http_idempotency')).toBe('42501');
    expect(await asRole(sandbox, 'worker', db('scheduling'), 'CREATE TABLE mine (id int)')).toBe('42501');
    expect(await asRole(sandbox, 'worker', db('records'), 'SELECT 1')).toBe('42501');
  });
});
