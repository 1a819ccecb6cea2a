/** The SQLSTATE (or Node network code) of a database error, also when drizzle wraps it (DrizzleQueryError.cause). */
export function sqlState(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
