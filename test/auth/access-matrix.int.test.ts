import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDevIssuer } from '../../libraries/auth/dev-issuer';
import { loadConfig } from '../../libraries/config/env';
import { createGatewayApp } from '../../gateway/app';
import { serveHttp, type HttpServer } from '../../libraries/http/serve';
import { eventually } from '../../libraries/common/eventually';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { expectStatus, json } from '../support/clients';
import { createSandbox, type TestSandbox } from '../support/sandbox';
import { startTestSystem, type TestSystem } from '../support/system';
import { admin, asPatient, asPhysician, bearer, staff, testVerifier, tokenFor, type Caller } from '../support/tokens';
import { noTelemetry } from '../../libraries/observability/telemetry';

type Who = 'P1' | 'P2' | 'D1' | 'D2' | 'staff' | 'admin';
const everyone: Who[] = ['P1', 'P2', 'D1', 'D2', 'staff', 'admin'];
type Service = 'patients' | 'physicians' | 'scheduling' | 'records' | 'reporting';

/** What one pass of the matrix works on: P1 and D1 are the owners, P2 and D2 someone else. */
interface Fixture {
  P1: string;
  P2: string;
  D1: string;
  D2: string;
  /** A throwaway patient, for deactivation. */
  spare: string;
  /** P1's consultation with D1, SCHEDULED, with record R1. */
  C1: string;
  R1: string;
  /** Another of P1's with D1, to cancel. */
  C2: string;
}

interface Row {
  name: string;
  service: Service;
  method: 'GET' | 'POST' | 'PATCH';
  path: (f: Fixture) => string;
  body?: (f: Fixture, who: Who) => unknown;
  /** The answer each caller gets; anyone left out gets 403. */
  expect: Partial<Record<Who, number>>;
}

let slot = 0;
const nextSlot = () => new Date(Date.UTC(2032, 0, 1, 8) + slot++ * 3_600_000).toISOString();
const email = () => `access.${Math.random().toString(36).slice(2)}@example.org`;

/** docs/api.md §13's table, row by row, in an order that lets the writes follow the reads. */
const matrix: Row[] = [
  {
    name: 'register a patient',
    service: 'patients',
    method: 'POST',
    path: () => '/patients',
    body: () => ({ name: 'New Patient', email: email() }),
    expect: { staff: 201 },
  },
  { name: 'list patients', service: 'patients', method: 'GET', path: () => '/patients', expect: { staff: 200 } },
  {
    name: 'read a patient',
    service: 'patients',
    method: 'GET',
    path: (f) => `/patients/${f.P1}`,
    expect: { P1: 200, P2: 404, D1: 200, D2: 404, staff: 200 },
  },
  {
    name: 'update a patient',
    service: 'patients',
    method: 'PATCH',
    path: (f) => `/patients/${f.P1}`,
    body: () => ({ phone: '+351 900 000 001' }),
    expect: { P1: 200, P2: 404, staff: 200 },
  },
  {
    name: 'deactivate a patient',
    service: 'patients',
    method: 'POST',
    path: (f) => `/patients/${f.spare}/deactivate`,
    expect: { staff: 200 },
  },
  {
    name: 'register a physician',
    service: 'physicians',
    method: 'POST',
    path: () => '/physicians',
    body: () => ({ name: 'Dr. New', specialty: 'dermatology' }),
    expect: { staff: 201 },
  },
  ...(['/physicians', '/physicians/{D1}', '/physicians/{D1}/slots'] as const).map((template): Row => ({
    name: `read the physician directory: GET ${template}`,
    service: 'physicians',
    method: 'GET',
    path: (f) => template.replace('{D1}', f.D1),
    expect: { P1: 200, P2: 200, D1: 200, D2: 200, staff: 200, admin: 200 },
  })),
  {
    name: 'update a physician',
    service: 'physicians',
    method: 'PATCH',
    path: (f) => `/physicians/${f.D1}`,
    body: () => ({ licenseNumber: 'OM-1' }),
    expect: { D1: 200, D2: 404, staff: 200 },
  },
  {
    name: 'book a consultation for P1',
    service: 'scheduling',
    method: 'POST',
    path: () => '/consultations',
    body: (f) => ({ patientId: f.P1, physicianId: f.D2, startsAt: nextSlot() }),
    expect: { P1: 202, P2: 403, staff: 202 },
  },
  {
    name: 'read a consultation',
    service: 'scheduling',
    method: 'GET',
    path: (f) => `/consultations/${f.C1}`,
    expect: { P1: 200, P2: 404, D1: 200, D2: 404, staff: 200, admin: 200 },
  },
  {
    name: "read a consultation's saga",
    service: 'scheduling',
    method: 'GET',
    path: (f) => `/consultations/${f.C1}/saga`,
    expect: { P1: 200, P2: 404, D1: 200, D2: 404, staff: 200, admin: 200 },
  },
  {
    name: 'list consultations',
    service: 'scheduling',
    method: 'GET',
    path: () => '/consultations',
    expect: { P1: 200, P2: 200, D1: 200, D2: 200, staff: 200, admin: 200 },
  },
  {
    name: "change a consultation's reason",
    service: 'scheduling',
    method: 'PATCH',
    path: (f) => `/consultations/${f.C1}`,
    body: (_f, who) => ({ reason: `changed by ${who}` }),
    expect: { P1: 200, P2: 404, D1: 200, D2: 404, staff: 200 },
  },
  {
    name: 'write a clinical record',
    service: 'records',
    method: 'POST',
    path: () => '/records',
    body: (f) => ({ consultationId: f.C1, diagnosis: 'J06.9 upper respiratory infection' }),
    expect: { P2: 403, D1: 201, D2: 404 },
  },
  {
    name: 'update a clinical record',
    service: 'records',
    method: 'PATCH',
    path: (f) => `/records/${f.R1}`,
    body: () => ({ notes: 'review in two weeks' }),
    expect: { D1: 200, D2: 404 },
  },
  {
    name: 'read a clinical record',
    service: 'records',
    method: 'GET',
    path: (f) => `/records/${f.R1}`,
    expect: { P1: 200, P2: 404, D1: 200, D2: 404 },
  },
  {
    name: 'list clinical records',
    service: 'records',
    method: 'GET',
    path: () => '/records',
    expect: { P1: 200, P2: 200, D1: 200, D2: 200 },
  },
  {
    name: 'complete a consultation',
    service: 'scheduling',
    method: 'POST',
    path: (f) => `/consultations/${f.C1}/complete`,
    expect: { D1: 200, D2: 404 },
  },
  {
    name: 'cancel a consultation',
    service: 'scheduling',
    method: 'POST',
    path: (f) => `/consultations/${f.C2}/cancel`,
    body: () => ({}),
    expect: { P1: 202, P2: 404, D1: 202, D2: 404, staff: 202 },
  },
  {
    name: 'read the consultation report',
    service: 'reporting',
    method: 'GET',
    path: () => '/reports/consultations?groupBy=specialty',
    expect: { staff: 200, admin: 200 },
  },
  {
    name: 'read the records report',
    service: 'reporting',
    method: 'GET',
    path: () => '/reports/records',
    expect: { staff: 200, admin: 200 },
  },
  { name: 'read the access audit', service: 'records', method: 'GET', path: (f) => `/audit?resourceId=${f.R1}`, expect: { admin: 200 } },
  { name: 'list dead letters', service: 'records', method: 'GET', path: () => '/admin/dlq', expect: { admin: 200 } },
  {
    name: 'look at a dead-letter queue',
    service: 'records',
    method: 'GET',
    path: () => '/admin/dlq/clinical-records.saga',
    expect: { admin: 200 },
  },
  {
    name: 'purge a dead letter',
    service: 'records',
    method: 'POST',
    path: () => '/admin/dlq/clinical-records.saga/purge',
    body: () => ({ id: crypto.randomUUID() }),
    expect: { admin: 200 },
  },
];

describe('who may do what (docs/api.md §13), through the gateway and on each instance', () => {
  let sandbox: TestSandbox;
  let system: TestSystem;
  let gateway: HttpServer;
  const fixtures: Fixture[] = [];
  const callers = (f: Fixture): Record<Who, Caller> => ({
    P1: asPatient(f.P1),
    P2: asPatient(f.P2),
    D1: asPhysician(f.D1),
    D2: asPhysician(f.D2),
    staff,
    admin,
  });

  beforeAll(async () => {
    sandbox = await createSandbox('access');
    system = await startTestSystem(sandbox.sagaConfig('access'), { reporting: true });
    const { urls } = system;
    const config = loadConfig({
      GATEWAY_PATIENTS_URLS: urls.patients,
      GATEWAY_PHYSICIANS_URLS: urls.physicians,
      GATEWAY_SCHEDULING_URLS: urls.scheduling.join(','),
      GATEWAY_RECORDS_URLS: urls.records,
      GATEWAY_REPORTING_URLS: urls.reporting!,
    });
    gateway = await serveHttp(createGatewayApp(config, silentLogger, await testVerifier(), noTelemetry('gateway')), 0, '127.0.0.1', 100);
    for (let pass = 0; pass < 2; pass++) fixtures.push(await seed());
  });

  afterAll(async () => {
    await gateway?.close();
    await system?.stop();
    await sandbox?.remove();
  });

  /** Two patients, two physicians and P1's two SCHEDULED consultations with D1, one with a record, known to every read model. */
  async function seed(): Promise<Fixture> {
    const patient = async () => {
      const answer = await json(system.patients.patients.$post({ json: { name: 'Access Patient', email: email() } }));
      expectStatus(answer, 201);
      return answer.body.id;
    };
    const physician = async () => {
      const answer = await json(system.physicians.physicians.$post({ json: { name: 'Dr. Access', specialty: 'general practice' } }));
      expectStatus(answer, 201);
      return answer.body.id;
    };
    const [P1, P2, spare, D1, D2] = await Promise.all([patient(), patient(), patient(), physician(), physician()]);
    const book = async () => {
      const answer = await json(
        system.scheduling[0].consultations.$post({ json: { patientId: P1, physicianId: D1, startsAt: nextSlot() }, header: {} }),
      );
      expectStatus(answer, 202);
      return answer.body.consultationId;
    };
    const [C1, C2] = [await book(), await book()];
    for (const id of [C1, C2]) {
      for (const instance of system.scheduling) {
        await eventually(
          async () => {
            const answer = await json(instance.consultations[':id'].$get({ param: { id } }));
            expect(answer.status === 200 && answer.body.status).toBe('SCHEDULED');
          },
          { timeoutMs: 20_000 },
        );
      }
    }
    const asD1 = system.as(asPhysician(D1));
    const R1 = await eventually(async () => {
      const answer = await json(asD1.records.records.$post({ json: { consultationId: C1, diagnosis: 'Z00.0 general examination' } }));
      expectStatus(answer, 201);
      return answer.body.id;
    });
    await eventually(async () => expect((await asD1.records.records[':id'].$get({ param: { id: R1 } })).status).toBe(200));
    // The patients read model learns from ConsultationScheduled that D1 is P1's physician.
    await eventually(async () => expect((await asD1.patients.patients[':id'].$get({ param: { id: P1 } })).status).toBe(200));
    return { P1, P2, D1, D2, spare, C1, C2, R1 };
  }

  const bases = (): Record<'gateway' | 'instance', Record<Service, string>> => {
    const viaGateway = `http://127.0.0.1:${gateway.port}`;
    return {
      gateway: { patients: viaGateway, physicians: viaGateway, scheduling: viaGateway, records: viaGateway, reporting: viaGateway },
      instance: { ...system.urls, scheduling: system.urls.scheduling[0], reporting: system.urls.reporting! },
    };
  };

  for (const [pass, route] of (['gateway', 'instance'] as const).entries()) {
    it(`answers every row of the table as it says, ${route === 'gateway' ? 'through the gateway' : 'on the instances directly'}`, async () => {
      const f = fixtures[pass]!;
      const who = callers(f);
      const base = bases()[route];
      const actual: Record<string, Partial<Record<Who, number>>> = {};
      const expected: Record<string, Partial<Record<Who, number>>> = {};
      for (const row of matrix) {
        expected[row.name] = Object.fromEntries(everyone.map((caller) => [caller, row.expect[caller] ?? 403]));
        actual[row.name] = {};
        for (const caller of everyone) {
          const response = await fetch(`${base[row.service]}${row.path(f)}`, {
            method: row.method,
            headers: { ...(await bearer(who[caller])), 'content-type': 'application/json' },
            body: row.body ? JSON.stringify(row.body(f, caller)) : undefined,
          });
          await response.body?.cancel();
          actual[row.name]![caller] = response.status;
        }
      }
      expect(actual).toEqual(expected);
    });
  }

  it('narrows lists to what is the caller’s own', async () => {
    const f = fixtures[0]!;
    const mine = system.as(asPatient(f.P1));
    const consultations = await json(mine.scheduling[0].consultations.$get({ query: {} }));
    expectStatus(consultations, 200);
    expect(consultations.body.items.map((item) => item.id)).toEqual(expect.arrayContaining([f.C1, f.C2]));
    expect(new Set(consultations.body.items.map((item) => item.patientId))).toEqual(new Set([f.P1]));
    // Asking for someone else's finds nothing rather than an error.
    const theirs = await json(mine.scheduling[0].consultations.$get({ query: { patientId: f.P2 } }));
    expectStatus(theirs, 200);
    expect(theirs.body.items).toEqual([]);

    const records = await json(mine.records.records.$get({ query: {} }));
    expectStatus(records, 200);
    expect(records.body.items.map((item) => item.id)).toContain(f.R1);
    expect(new Set(records.body.items.map((item) => item.patientId))).toEqual(new Set([f.P1]));
    const otherPhysician = await json(system.as(asPhysician(f.D2)).records.records.$get({ query: {} }));
    expectStatus(otherPhysician, 200);
    expect(otherPhysician.body.items).toEqual([]);
  });

  it('keeps every access to a record, and every read of a patient by someone else, in the audit an admin reads', async () => {
    const f = fixtures[0]!;
    const viaGateway = `http://127.0.0.1:${gateway.port}`;
    const audit = async (query: string) => {
      const response = await fetch(`${viaGateway}/audit?${query}`, { headers: await bearer(admin) });
      expect(response.status).toBe(200);
      return ((await response.json()) as { items: { subject: string; operation: string; outcome: string; service: string }[] }).items;
    };
    const recordEntries = await audit(`resourceId=${f.R1}`);
    const summary = (items: { subject: string; operation: string; outcome: string }[]) =>
      new Set(items.map(({ subject, operation, outcome }) => `${subject} ${operation} ${outcome}`));
    expect([...summary(recordEntries)]).toEqual(
      expect.arrayContaining([
        `${f.D1} records.write allowed`,
        `${f.D1} records.read allowed`,
        `${f.P1} records.read allowed`,
        `${f.P2} records.read refused`,
        `${f.D2} records.read refused`,
        `${f.D2} records.write refused`,
        'test-staff records.read refused',
        'test-admin records.read refused',
      ]),
    );
    expect(recordEntries.every((entry) => entry.service === 'clinical-records')).toBe(true);
    // A patient reading themselves is not audited; their physician and the front desk are.
    const patientEntries = await audit(`resourceId=${f.P1}`);
    expect([...summary(patientEntries)]).toEqual(
      expect.arrayContaining([`${f.D1} patients.read allowed`, `test-staff patients.read allowed`, `${f.P2} patients.read refused`]),
    );
    expect(patientEntries.filter((entry) => entry.subject === f.P1)).toEqual([]);
    // A refusal without a resource (staff listing records) is kept too.
    const staffEntries = await audit('subject=test-staff');
    expect(staffEntries.some((entry) => entry.operation === 'records.read' && entry.outcome === 'refused')).toBe(true);
  });

  it('answers 401 with WWW-Authenticate for a missing, malformed, expired, wrongly signed or wrong-audience token, on the gateway and on an instance', async () => {
    const otherKeyDir = await mkdtemp(path.join(os.tmpdir(), 'hap-foreign-key-'));
    try {
      const foreign = await loadDevIssuer(path.join(otherKeyDir, 'key.json'));
      const defaults = loadConfig({});
      const tokens = {
        missing: undefined,
        malformed: 'Bearer not-a-jwt',
        basic: 'Basic c3RhZmY6c3RhZmY=',
        expired: `Bearer ${await tokenFor(staff, { expiresInSeconds: -60 })}`,
        'wrongly signed': `Bearer ${await foreign.sign({ roles: ['staff'], subject: 'x', issuer: defaults.AUTH_ISSUER, audience: defaults.AUTH_AUDIENCE })}`,
        'wrong audience': `Bearer ${await tokenFor(staff, { audience: 'another-api' })}`,
      };
      for (const base of [`http://127.0.0.1:${gateway.port}`, system.urls.records]) {
        for (const [kind, authorization] of Object.entries(tokens)) {
          const response = await fetch(`${base}/records`, { headers: authorization ? { authorization } : {} });
          const body = (await response.json()) as { error: { code: string } };
          expect([kind, response.status, body.error.code]).toEqual([kind, 401, 'UNAUTHENTICATED']);
          expect(response.headers.get('www-authenticate'), kind).toMatch(/^Bearer realm="hap"/);
        }
        // Health, readiness, the API description and the docs need no token.
        for (const open of ['/health', '/openapi.json', '/docs']) expect((await fetch(`${base}${open}`)).status, open).toBe(200);
      }
      const jwks = await fetch(`http://127.0.0.1:${gateway.port}/.well-known/jwks.json`);
      expect(jwks.status).toBe(200);
      expect(((await jwks.json()) as { keys: { kty: string; d?: string }[] }).keys).toEqual([expect.objectContaining({ kty: 'EC' })]);
    } finally {
      await rm(otherKeyDir, { recursive: true, force: true });
    }
  });
});
