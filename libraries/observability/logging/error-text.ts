import { isSqlState } from '../../db/errors';
import { causes } from '../../common/causes';

/**
 * What may be said about an error in a log line, a DLQ header or a workflow
 * history: its class, its code and where it happened, never the values it
 * carries. drizzle's "Failed query: … params: …" lists the bound parameters
 * (names, emails, diagnoses), and PostgreSQL's messages can quote the
 * offending value, so both are cut down; connection and broker errors, which
 * carry no health data, keep their message.
 */
export function safeErrorText(error: unknown): string {
  return causes(error, 5).map(describe).join(' ← ');
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return typeof error === 'string' ? '(a thrown string)' : `(a thrown ${typeof error})`;
  const code = (error as { code?: unknown }).code;
  if (isSqlState(code)) {
    const { constraint, table, column } = error as { constraint?: string; table?: string; column?: string };
    const where = [table && `table ${table}`, column && `column ${column}`, constraint && `constraint ${constraint}`]
      .filter(Boolean)
      .join(', ');
    return `${error.name} SQLSTATE ${code}${where ? ` (${where})` : ''}`;
  }
  const query = /^Failed query: ([\s\S]*?)\nparams:/.exec(error.message);
  if (query) return `${error.name}: failed query: ${query[1]!.replace(/\s+/g, ' ').trim().slice(0, 300)}`;
  return `${error.name}: ${error.message.slice(0, 500)}`;
}
