import pg from 'pg';

/** The URL of one database on the server that `serverUrl` (no database part) points at. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** `hap` + `scheduling`, `read`, `instance-1` → `hap_scheduling_read_instance_1`. */
export function databaseName(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts]
    .join('_')
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
}

/**
 * The PostgreSQL role a part of HAP logs in as: `hap_patients` (owner of
 * hap_patients and its read databases), …, `hap_worker` (the saga worker,
 * granted what the consultation write model needs).
 */
export const databaseRole = (prefix: string, owner: string) => databaseName(prefix, owner);

/** Creates the database when it is missing; safe when several processes race to do it. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  await withAdminClient(serverUrl, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount) return;
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
    } catch (error) {
      // 42P04 duplicate_database, 23505 unique_violation: another process created it first.
      const code = (error as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw error;
    }
  });
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`));
}

/** Databases whose name starts with the prefix; for cleaning up after a test run. */
export async function listDatabases(serverUrl: string, prefix: string): Promise<string[]> {
  return withAdminClient(serverUrl, async (client) => {
    const result = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1 || '%'", [prefix]);
    return result.rows.map((row) => row.datname);
  });
}

function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(serverUrl, 'postgres', work);
}

/** One short-lived connection to a database of the server, for tools (setup, cleanup, audits) rather than services. */
export async function withClient<T>(serverUrl: string, database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, database), connectionTimeoutMillis: 10_000 });
  // A socket that dies mid-call rejects the call; without a listener it would also crash the process.
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
