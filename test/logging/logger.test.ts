import { describe, expect, it } from 'vitest';
import { createLogger } from '../../libraries/observability/logging/logger';

describe('log lines', () => {
  const lineOf = (fields: Record<string, unknown>) => {
    const lines: string[] = [];
    createLogger({ write: (_level, line) => lines.push(line) }).warn('something happened', fields);
    return JSON.parse(lines[0]!) as Record<string, unknown>;
  };

  it("redact a person's details at any depth, but keep an error's class readable", () => {
    const error = Object.assign(new Error('Failed query: insert into patients\nparams: Ana Lima,ana@example.org'), {
      name: 'DrizzleQueryError',
    });
    const line = lineOf({ error, patient: { name: 'Ana Lima', email: 'ana@example.org', id: 'p-1' }, status: 'ACTIVE' });
    expect(line.error).toEqual({ name: 'DrizzleQueryError', message: 'DrizzleQueryError: failed query: insert into patients' });
    expect(line.patient).toEqual({ name: '[redacted]', email: '[redacted]', id: 'p-1' });
    expect(line.status).toBe('ACTIVE');
    expect(JSON.stringify(line)).not.toMatch(/Ana|ana@/);
  });
});
