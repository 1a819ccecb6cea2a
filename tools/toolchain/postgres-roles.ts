import type pg from 'pg';
import { serviceNames, type ServiceName } from '../../libraries/config/services';
import { databaseName, databaseRole, quoteIdentifier as identifier, withClient } from '../../libraries/db/database';

/** Who logs in to PostgreSQL: each service, owner of its own databases, and the saga worker. */
export type DatabasePrincipal = ServiceName | 'worker';
export const databasePrincipals: readonly DatabasePrincipal[] = [...serviceNames, 'worker'];

export interface DatabaseLogin {
  role: string;
  password: string;
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The server URL with another login: how each process gets its own role. */
export function pgUrlAs(serverUrl: string, login: DatabaseLogin): string {
  const url = new URL(serverUrl);
  url.username = encodeURIComponent(login.role);
  url.password = encodeURIComponent(login.password);
  return url.toString();
}

/** The databases a service owns: its write database and one read database per instance. */
export const ownedDatabases = (prefix: string, service: ServiceName, instanceIds: readonly string[]) => [
  databaseName(prefix, service),
  ...instanceIds.map((id) => databaseName(prefix, service, 'read', id)),
];

/**
 * Least-privilege PostgreSQL roles, made idempotently by a superuser login
 * (`npm start`'s PG_URL, the tests'): one LOGIN role per service, which will
 * own its databases (ensureServiceDatabases), and the worker's. No role may
 * create databases or roles.
 */
export async function ensureDatabaseRoles(options: {
  pgUrl: string;
  prefix: string;
  password: (role: string) => Promise<string>;
}): Promise<Record<DatabasePrincipal, DatabaseLogin>> {
  return withSuperuser(options.pgUrl, async (client) => {
    const logins = {} as Record<DatabasePrincipal, DatabaseLogin>;
    for (const principal of databasePrincipals) {
      const role = databaseRole(options.prefix, principal);
      const password = await options.password(role);
      const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount;
      await client.query(
        `${exists ? 'ALTER' : 'CREATE'} ROLE ${identifier(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${literal(password)}`,
      );
      logins[principal] = { role, password };
    }
    return logins;
  });
}

/**
 * A service's databases (its write database, its instances' read ones),
 * made if missing, owned by its role and closed to everyone else; the
 * worker's role may connect to scheduling's write database, where scheduling
 * grants it the consultation table once migrated (services/scheduling/consultations).
 */
export async function ensureServiceDatabases(options: {
  pgUrl: string;
  prefix: string;
  service: ServiceName;
  instanceIds: readonly string[];
}): Promise<void> {
  const { pgUrl, prefix, service, instanceIds } = options;
  await withSuperuser(pgUrl, async (client) => {
    for (const database of ownedDatabases(prefix, service, instanceIds))
      await ownedBy(client, pgUrl, database, databaseRole(prefix, service));
    if (service === 'scheduling') {
      await client.query(
        `GRANT CONNECT ON DATABASE ${identifier(databaseName(prefix, 'scheduling'))} TO ${identifier(databaseRole(prefix, 'worker'))}`,
      );
    }
  });
}

function withSuperuser<T>(pgUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(pgUrl, 'postgres', async (client) => {
    // Roles and grants are catalog rows: two setups at once would fail with "tuple concurrently updated".
    await client.query("SELECT pg_advisory_lock(hashtext('hap-database-roles'))");
    return work(client);
  });
}

/** Makes the database if missing, owned by the role, closed to everyone else (PUBLIC may connect by default). */
async function ownedBy(client: pg.Client, pgUrl: string, database: string, role: string): Promise<void> {
  const exists = (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount;
  if (exists) {
    await client.query(`ALTER DATABASE ${identifier(database)} OWNER TO ${identifier(role)}`);
    await adoptTables(pgUrl, database, role);
  } else {
    await client.query(`CREATE DATABASE ${identifier(database)} OWNER ${identifier(role)}`);
  }
  await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${identifier(database)} FROM PUBLIC`);
}

/**
 * A database made before HAP had roles holds tables its maker owns (the
 * superuser): they pass to the role, which must migrate them. Sequences of
 * serial columns follow their tables.
 */
async function adoptTables(pgUrl: string, database: string, role: string): Promise<void> {
  await withClient(pgUrl, database, async (client) => {
    const tables = await client.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
          AND pg_get_userbyid(c.relowner) <> $1`,
      [role],
    );
    for (const { schema, name } of tables.rows) {
      await client.query(`ALTER TABLE ${identifier(schema)}.${identifier(name)} OWNER TO ${identifier(role)}`);
    }
  });
}

/** Drops the roles made under a prefix, after their databases (tests clean up after themselves). */
export async function dropDatabaseRoles(pgUrl: string, prefix: string): Promise<void> {
  const roles = await listDatabaseRoles(pgUrl, prefix);
  await withSuperuser(pgUrl, async (client) => {
    for (const role of roles) {
      await client.query(`DROP OWNED BY ${identifier(role)}`).catch(() => {});
      await client.query(`DROP ROLE IF EXISTS ${identifier(role)}`);
    }
  });
}

/** Roles whose name starts with the prefix; for cleaning up after runs that died. */
export async function listDatabaseRoles(pgUrl: string, prefix: string): Promise<string[]> {
  return withClient(pgUrl, 'postgres', async (client) => {
    const roles = await client.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname LIKE $1 || '%'", [prefix]);
    return roles.rows.map(({ rolname }) => rolname).filter((name) => name.startsWith(prefix));
  });
}
