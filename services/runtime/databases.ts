import type { Config } from '../../config/env';
import { databaseName, databaseUrl, ensureDatabase } from '../../db/database';
import { runMigrations, type MigrationSet } from '../../db/migrate';
import { openDatabase, type DatabaseHandle } from '../../db/pool';
import type { Logger } from '../../logging/logger';
import { messagingMigrations } from '../../messaging/migration-set';

export interface ServiceDatabases {
  /** The service's write database, shared by its instances. */
  write: DatabaseHandle;
  /** This instance's own read database (database per instance, seed §6). */
  read: DatabaseHandle;
  close(): Promise<void>;
}

/** `hap_patients` and `hap_patients_read_instance_1`: created when missing, migrated, opened. */
export async function openServiceDatabases(options: {
  config: Config;
  name: string;
  instanceId: string;
  migrations: { write: MigrationSet; read: MigrationSet };
  logger: Logger;
}): Promise<ServiceDatabases> {
  const { config, name, instanceId, migrations, logger } = options;
  const write = await openMigratedDatabase(config, databaseName(config.DB_PREFIX, name), migrations.write, logger);
  const read = await openMigratedDatabase(config, databaseName(config.DB_PREFIX, name, 'read', instanceId), migrations.read, logger);
  return { write, read, close: async () => void (await Promise.all([write.close(), read.close()])) };
}

/** One database: created when missing, the messaging tables and the given set applied, a pool opened. */
export async function openMigratedDatabase(config: Config, database: string, set: MigrationSet, logger: Logger): Promise<DatabaseHandle> {
  await ensureDatabase(config.PG_URL, database);
  const handle = openDatabase(databaseUrl(config.PG_URL, database), {
    max: config.PG_POOL_MAX,
    onError: (error) => logger.warn('idle database connection failed', { database, error }),
  });
  await runMigrations(handle.pool, [messagingMigrations, set]);
  return handle;
}
