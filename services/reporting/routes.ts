import { createRouter } from '../../libraries/http/app';
import type { InstanceContext } from '../../libraries/runtime/service-instance';
import { consultationReportRoute, defaultRangeDays, recordReportRoute } from './api';
import { countRecordChanges, emptySummary, summarise, type TimeRange } from './queries';

const dayMs = 86_400_000;

function rangeOf(query: { from?: string | undefined; to?: string | undefined }): TimeRange {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - defaultRangeDays * dayMs);
  return { from, to };
}

/** /reports: aggregates over this instance's read model, for staff and admins. Nothing here names a person. */
export function reportRoutes({ databases, guard }: InstanceContext) {
  const read = databases.read.db;
  return createRouter()
    .openapi(guard(consultationReportRoute), async (c) => {
      const query = c.req.valid('query');
      const range = rangeOf(query);
      const total = (await summarise(read, range, 'total')).get('total') ?? emptySummary();
      const groups = query.groupBy
        ? [...(await summarise(read, range, query.groupBy)).entries()]
            .map(([key, summary]) => ({ key, ...summary }))
            .sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''))
        : [];
      return c.json({ from: range.from.toISOString(), to: range.to.toISOString(), groupBy: query.groupBy ?? null, total, groups }, 200);
    })
    .openapi(guard(recordReportRoute), async (c) => {
      const range = rangeOf(c.req.valid('query'));
      return c.json({ from: range.from.toISOString(), to: range.to.toISOString(), ...(await countRecordChanges(read, range)) }, 200);
    });
}

/** The reporting HTTP API, for typed clients (`hc<ReportingApp>(url)`). */
export type ReportingApp = ReturnType<typeof reportRoutes>;
