import type { Guard } from '../auth/guard';
import type { Role } from '../auth/roles';
import type { Database } from '../db/pool';
import { createRouter } from '../http/app';
import { auditRoute } from './api';
import { listAudit } from './store';

/** GET /audit on a service that audits: its own entries, to admins. The gateway merges every such service's. */
export function auditRoutes(guard: Guard, db: Database, service: string) {
  return createRouter().openapi(guard(auditRoute), async (c) => {
    const { from, to, ...filter } = c.req.valid('query');
    const rows = await listAudit(db, { ...filter, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined });
    const items = rows.map(({ id: _id, at, role, ...row }) => ({ service, at: at.toISOString(), role: role as Role | null, ...row }));
    return c.json({ items }, 200);
  });
}

/** The audit API, for typed clients. */
export type AuditApp = ReturnType<typeof auditRoutes>;
