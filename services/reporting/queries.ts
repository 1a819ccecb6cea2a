import { and, count, eq, gte, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../libraries/db/pool';
import type { ConsultationStatus, ConsultationStatusReason } from '../../libraries/events/consultations';
import { consultationFacts, physicianSpecialties, recordChanges } from './read-schema';
import type { reportGroupings } from './api';

export type ReportGrouping = (typeof reportGroupings)[number];
export interface TimeRange {
  from: Date;
  to: Date;
}

type Counts<K extends string> = Partial<Record<K, number>>;

export interface ConsultationSummary {
  consultations: number;
  byStatus: Counts<ConsultationStatus>;
  rejectionRate: number | null;
  rejectionReasons: Counts<ConsultationStatusReason>;
  cancellationRate: number | null;
  cancellationReasons: Counts<ConsultationStatusReason>;
  bookingToScheduledMs: { count: number; median: number | null; p95: number | null };
}

/** What one group is keyed by; `total` is a single group. */
const groupKeys: Record<ReportGrouping | 'total', SQL<string | null>> = {
  total: sql<string | null>`'total'`,
  day: sql<string>`to_char(${consultationFacts.bookedAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  physician: sql<string>`${consultationFacts.physicianId}::text`,
  specialty: sql<string | null>`${physicianSpecialties.specialty}`,
};

/**
 * Consultations booked in [from, to), summarised per group: two aggregate
 * queries in the read database (counts by status and reason; the time from
 * booking to SCHEDULED as PostgreSQL's percentiles), merged by key.
 */
export async function summarise(
  db: Database,
  range: TimeRange,
  grouping: ReportGrouping | 'total',
): Promise<Map<string | null, ConsultationSummary>> {
  const key = groupKeys[grouping].as('key');
  // The specialty is the physician's as this instance knows it now.
  const inRange = and(gte(consultationFacts.bookedAt, range.from), lt(consultationFacts.bookedAt, range.to));
  const counted = await db
    .select({ key, status: consultationFacts.status, reason: consultationFacts.statusReason, n: count() })
    .from(consultationFacts)
    .leftJoin(physicianSpecialties, eq(physicianSpecialties.physicianId, consultationFacts.physicianId))
    .where(inRange)
    .groupBy(sql`1`, consultationFacts.status, consultationFacts.statusReason);
  const waitMs = sql`extract(epoch FROM ${consultationFacts.scheduledAt} - ${consultationFacts.bookedAt}) * 1000`;
  const timed = await db
    .select({
      key,
      n: count(),
      median: sql<number>`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${waitMs})`.mapWith(Number),
      p95: sql<number>`percentile_cont(0.95) WITHIN GROUP (ORDER BY ${waitMs})`.mapWith(Number),
    })
    .from(consultationFacts)
    .leftJoin(physicianSpecialties, eq(physicianSpecialties.physicianId, consultationFacts.physicianId))
    .where(and(inRange, isNotNull(consultationFacts.scheduledAt)))
    .groupBy(sql`1`);

  const summaries = new Map<string | null, ConsultationSummary>();
  const summaryOf = (group: string | null) => {
    let summary = summaries.get(group);
    if (!summary) {
      summary = emptySummary();
      summaries.set(group, summary);
    }
    return summary;
  };
  for (const { key: group, status, reason, n } of counted) {
    const summary = summaryOf(group);
    summary.consultations += n;
    summary.byStatus[status] = (summary.byStatus[status] ?? 0) + n;
    const reasons = status === 'REJECTED' ? summary.rejectionReasons : status === 'CANCELLED' ? summary.cancellationReasons : undefined;
    if (reasons && reason) reasons[reason] = (reasons[reason] ?? 0) + n;
  }
  for (const { key: group, n, median, p95 } of timed) {
    summaryOf(group).bookingToScheduledMs = { count: n, median: Math.round(median), p95: Math.round(p95) };
  }
  for (const summary of summaries.values()) {
    const { byStatus } = summary;
    const ended = summary.consultations - (byStatus.PENDING ?? 0);
    summary.rejectionRate = ended > 0 ? ratio(byStatus.REJECTED ?? 0, ended) : null;
    const scheduled = summary.bookingToScheduledMs.count;
    summary.cancellationRate = scheduled > 0 ? ratio(byStatus.CANCELLED ?? 0, scheduled) : null;
  }
  return summaries;
}

export function emptySummary(): ConsultationSummary {
  return {
    consultations: 0,
    byStatus: {},
    rejectionRate: null,
    rejectionReasons: {},
    cancellationRate: null,
    cancellationReasons: {},
    bookingToScheduledMs: { count: 0, median: null, p95: null },
  };
}

/** Four decimals: a rate, not a float's noise. */
const ratio = (part: number, whole: number) => Math.round((part / whole) * 10_000) / 10_000;

/** Record changes in [from, to), by kind. */
export async function countRecordChanges(db: Database, range: TimeRange): Promise<Record<'created' | 'updated' | 'voided', number>> {
  const rows = await db
    .select({ kind: recordChanges.kind, n: count() })
    .from(recordChanges)
    .where(and(gte(recordChanges.occurredAt, range.from), lt(recordChanges.occurredAt, range.to)))
    .groupBy(recordChanges.kind);
  const counts = { created: 0, updated: 0, voided: 0 };
  for (const { kind, n } of rows) counts[kind] = n;
  return counts;
}
