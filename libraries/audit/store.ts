import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { AuditEntry, AuditSink } from '../auth/guard';
import type { Database } from '../db/pool';
import { accessAudit } from './schema';

/** Writes the guard's audit entries to a service's write database, one insert per request. */
export function auditLog(db: Database): AuditSink {
  return {
    async record(entries: AuditEntry[]) {
      if (entries.length > 0) await db.insert(accessAudit).values(entries);
    },
  };
}

export interface AuditFilter {
  resourceId?: string | undefined;
  subject?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
}

/** The newest entries first, `from` included, `to` excluded. */
export async function listAudit(db: Database, filter: AuditFilter) {
  const conditions: (SQL | undefined)[] = [
    filter.resourceId ? eq(accessAudit.resourceId, filter.resourceId) : undefined,
    filter.subject ? eq(accessAudit.subject, filter.subject) : undefined,
    filter.from ? gte(accessAudit.at, filter.from) : undefined,
    filter.to ? lt(accessAudit.at, filter.to) : undefined,
  ];
  return db
    .select()
    .from(accessAudit)
    .where(and(...conditions))
    .orderBy(desc(accessAudit.at), desc(accessAudit.id))
    .limit(filter.limit);
}
