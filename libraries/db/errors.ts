import { causes } from '../common/causes';

const codeOf = (error: unknown) => (error as { code?: unknown } | null | undefined)?.code;

/** The SQLSTATE (or Node network code) of a database error, also when drizzle wraps it (DrizzleQueryError.cause). */
export function sqlState(error: unknown): string | undefined {
  for (const link of causes(error)) {
    const code = codeOf(link);
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** True for a five-character SQLSTATE, the code PostgreSQL itself answered with (not a Node network code). */
export function isSqlState(code: unknown): code is string {
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/** The first SQLSTATE anywhere in the error's chain: what PostgreSQL said, however deeply it is wrapped. */
export function serverSqlState(error: unknown): string | undefined {
  return causes(error).map(codeOf).find(isSqlState);
}
