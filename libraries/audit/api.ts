import { createRoute, z } from '@hono/zod-openapi';
import { roles } from '../auth/roles';
import { secured } from '../auth/secured';
import { instant, text } from '../http/refinements';
import { errorResponses, listContent } from '../http/schemas';

export const auditEntrySchema = z
  .object({
    service: z.string(),
    at: z.string(),
    subject: z.string(),
    role: z.enum(roles).nullable(),
    operation: z.string(),
    resourceId: z.string().nullable(),
    correlationId: z.string(),
    outcome: z.enum(['allowed', 'refused', 'failed']),
    status: z.number().int(),
  })
  .openapi('AuditEntry');

export const auditQuery = z.object({
  resourceId: text().max(200).optional(),
  subject: text().max(200).optional(),
  from: instant().optional(),
  to: instant().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const auditRoute = createRoute(
  secured('audit.read', {
    method: 'get',
    path: '/audit',
    tags: ['audit'],
    summary: 'Who read or wrote health data here, newest first: `from` included, `to` excluded',
    request: { query: auditQuery },
    responses: { 200: listContent(auditEntrySchema, 'audit entries'), ...errorResponses(400, 503) },
  }),
);
