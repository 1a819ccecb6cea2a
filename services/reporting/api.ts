import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../libraries/auth/secured';
import { consultationStatusReasons, consultationStatuses } from '../../libraries/events/consultations';
import { instant } from '../../libraries/http/refinements';
import { errorResponses, jsonContent } from '../../libraries/http/schemas';

/** How far back a report reaches when the request names no `from`. */
export const defaultRangeDays = 30;

const range = {
  from: instant()
    .optional()
    .openapi({
      description: `start of the range, inclusive (default: ${defaultRangeDays} days before \`to\`)`,
      example: '2026-12-01T00:00:00Z',
    }),
  to: instant().optional().openapi({ description: 'end of the range, exclusive (default: now)', example: '2026-12-08T00:00:00Z' }),
};
const ordered = <T extends { from?: string | undefined; to?: string | undefined }>(query: T) =>
  !query.from || !query.to || Date.parse(query.from) < Date.parse(query.to);
const orderedMessage = { message: 'must be after from', path: ['to'] };

export const reportGroupings = ['day', 'physician', 'specialty'] as const;

const countsOf = <const K extends readonly [string, ...string[]]>(keys: K) =>
  z.partialRecord(z.enum(keys), z.number().int()).openapi({ description: 'counts by value; a value with no count is left out' });

const summarySchema = z
  .object({
    consultations: z.number().int().openapi({ description: 'consultations booked in the range' }),
    byStatus: countsOf(consultationStatuses),
    rejectionRate: z
      .number()
      .nullable()
      .openapi({ description: 'REJECTED ÷ bookings whose saga has ended (not PENDING); null when none has' }),
    rejectionReasons: countsOf(consultationStatusReasons),
    cancellationRate: z.number().nullable().openapi({ description: 'CANCELLED ÷ consultations that were SCHEDULED; null when none was' }),
    cancellationReasons: countsOf(consultationStatusReasons),
    bookingToScheduledMs: z
      .object({ count: z.number().int(), median: z.number().nullable(), p95: z.number().nullable() })
      .openapi({ description: 'from the booking saga’s first event to ConsultationScheduled, over the consultations that got there' }),
  })
  .openapi('ConsultationSummary');

/** The period a report covers, as asked. */
const period = { from: z.string(), to: z.string() };

export const consultationReportSchema = z
  .object({
    ...period,
    groupBy: z.enum(reportGroupings).nullable(),
    total: summarySchema,
    groups: z
      .array(
        summarySchema.extend({
          key: z
            .string()
            .nullable()
            .openapi({ description: 'the day (YYYY-MM-DD, UTC), the physician id, or the specialty (null: a physician not heard of yet)' }),
        }),
      )
      .openapi({ description: 'one per value of groupBy, in order of key; empty without groupBy' }),
  })
  .openapi('ConsultationReport');

export const recordReportSchema = z
  .object({
    ...period,
    created: z.number().int(),
    updated: z.number().int().openapi({ description: 'amendments (one record amended twice counts twice)' }),
    voided: z.number().int(),
  })
  .openapi('RecordReport');

const tags = ['reports'];

export const consultationReportRoute = createRoute(
  secured('reports.read', {
    method: 'get',
    path: '/reports/consultations',
    tags,
    summary:
      "Consultations booked in a time range, counted by status, with rates, reasons and time to SCHEDULED, from this instance's read model",
    request: {
      query: z
        .object({
          ...range,
          groupBy: z.enum(reportGroupings).optional().openapi({ description: 'one group per day, physician or specialty' }),
        })
        .refine(ordered, orderedMessage),
    },
    responses: { 200: jsonContent(consultationReportSchema, 'the report'), ...errorResponses(400, 503) },
  }),
);

export const recordReportRoute = createRoute(
  secured('reports.read', {
    method: 'get',
    path: '/reports/records',
    tags,
    summary: "Clinical records created, amended and voided in a time range, from this instance's read model",
    request: { query: z.object(range).refine(ordered, orderedMessage) },
    responses: { 200: jsonContent(recordReportSchema, 'the report'), ...errorResponses(400, 503) },
  }),
);
