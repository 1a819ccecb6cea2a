import { describe, expect, it } from 'vitest';
import { createLogger } from '../../libraries/observability/logging/logger';
import { safeErrorText } from '../../libraries/observability/logging/error-text';

describe('error text for logs and DLQ headers', () => {
  const pgError = Object.assign(new Error('duplicate key value violates unique constraint "patients_email_key"'), {
    name: 'DatabaseError',
    code: '23505',
    table: 'patients',
    constraint: 'patients_email_key',
  });
  const drizzleError = new Error(
    'Failed query: insert into "patients" ("name", "email") values ($1, $2)\nparams: Ana Lima,ana@example.org',
    { cause: pgError },
  );

  it('keeps the query and the SQLSTATE, never the bound parameters or quoted values', () => {
    const text = safeErrorText(drizzleError);
    expect(text).toBe(
      'Error: failed query: insert into "patients" ("name", "email") values ($1, $2) ← DatabaseError SQLSTATE 23505 (table patients, constraint patients_email_key)',
    );
    expect(text).not.toMatch(/Ana|example\.org/);
  });

  it('is what the logger writes for an error field', () => {
    const lines: string[] = [];
    createLogger({ write: (_level, line) => lines.push(line) }).error('request failed', { error: drizzleError });
    expect(lines[0]).not.toMatch(/Ana|example\.org/);
    expect(JSON.parse(lines[0]!).error.message).toContain('SQLSTATE 23505');
  });

  it('keeps connection errors as they are', () => {
    expect(safeErrorText(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(
      'Error: connect ECONNREFUSED 127.0.0.1:5432',
    );
  });
});

describe('personal data in log fields', () => {
  it('is redacted at any depth, while ids, statuses and codes stay', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (_level, line) => lines.push(line) });
    logger.warn('record write refused', {
      recordId: 'r-1',
      diagnosis: 'flu',
      event: { eventType: 'PatientUpdated', payload: { patientId: 'p-1', name: 'Ana Lima' } },
      patients: [{ id: 'p-1', email: 'ana@example.org', status: 'ACTIVE' }],
    });
    const line = JSON.parse(lines[0]!);
    expect(lines[0]).not.toMatch(/flu|Ana|example\.org/);
    expect(line).toMatchObject({
      recordId: 'r-1',
      diagnosis: '[redacted]',
      event: { eventType: 'PatientUpdated', payload: '[redacted]' },
      patients: [{ id: 'p-1', email: '[redacted]', status: 'ACTIVE' }],
    });
  });

  it('stops at a cycle instead of hanging the line', () => {
    const lines: string[] = [];
    const cyclic: Record<string, unknown> = { id: 'x' };
    cyclic.self = cyclic;
    createLogger({ write: (_level, line) => lines.push(line) }).info('cyclic', { cyclic });
    expect(lines[0]).toContain('[too deep]');
  });
});
