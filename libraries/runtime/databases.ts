import type { Config } from '../config/env';
import { databaseName, databaseUrl, ensureDatabase } from '../db/database';
import { runMigrations, type MigrationSet } from '../db/migrate';
import { openDatabase, type DatabaseHandle } from '../db/pool';
import { auditMigrations } from '../audit/migration-set';
import { idempotencyMigrations } from '../http/idempotency-migrations';
import type { Logger } from '../observability/logging/logger';
import { messagingMigrations } from '../messaging/migration-set';

export interface ServiceDatabases {
  /** The service's write database, shared by its instances. */
  write: DatabaseHandle;
  /** This instance's own read database (database per instance: docs/specification.md §6, docs/design.md §6). */
  read: DatabaseHandle;
  close(): Promise<void>;
}

/** `hap_patients` (with the Idempotency-Key table, and the access audit where the service keeps one) and `hap_patients_read_instance_1`: created when missing, migrated, opened. */
export async function openServiceDatabases(options: {
  config: Config;
  name: string;
  instanceId: string;
  migrations: { write?: MigrationSet | undefined; read: MigrationSet };
  audited?: boolean;
  logger: Logger;
}): Promise<ServiceDatabases> {
  const { config, name, instanceId, migrations, logger } = options;
  const writeSets = [idempotencyMigrations, ...(options.audited ? [auditMigrations] : []), ...(migrations.write ? [migrations.write] : [])];
  const write = await openMigratedDatabase(config, databaseName(config.DB_PREFIX, name), writeSets, logger);
  const read = await openMigratedDatabase(
    config,
    databaseName(config.DB_PREFIX, name, 'read', instanceId),
    [migrations.read],
    logger,
  ).catch(async (error: unknown) => {
    await write.close().catch(() => {});
    throw error;
  });
  return { write, read, close: async () => void (await Promise.all([write.close(), read.close()])) };
}

/**
 * A pool on one database of the server in PG_URL, with the configured
 * timeouts. It connects on first use: a database that is not there yet fails
 * the query, not the process.
 */
export function openConfiguredDatabase(config: Config, database: string, logger: Logger): DatabaseHandle {
  return openDatabase(databaseUrl(config.PG_URL, database), {
    max: config.PG_POOL_MAX,
    connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    // The pool drops the broken connection and its caller sees the failure: a warning, never a crash.
    onError: (error) => logger.warn('database connection lost', { database, error }),
  });
}

/** A database its owner uses: created when missing, the messaging tables and the given sets applied, a pool opened. */
export async function openMigratedDatabase(
  config: Config,
  database: string,
  sets: MigrationSet[],
  logger: Logger,
): Promise<DatabaseHandle> {
  await ensureDatabase(config.PG_URL, database);
  const handle = openConfiguredDatabase(config, database, logger);
  try {
    await runMigrations(handle.pool, [messagingMigrations, ...sets]);
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
  return handle;
}
