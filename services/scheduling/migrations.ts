import { serviceMigrations } from '../runtime/migration-sets';

/** Scheduling's databases: the write model (shared with the saga worker) and each instance's read model. */
export const schedulingMigrations = serviceMigrations(import.meta.url, 'scheduling');
