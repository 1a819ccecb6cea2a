import { z } from '@hono/zod-openapi';
import { isKnownTimeZone, minutesOf } from './local-time';
import { weekdays, type Schedule, type Window } from './schedule';

const wallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm (00:00–23:59)');
const localDateTime = z.iso.datetime({ local: true, precision: -1 });
const minutes = (max: number) => z.number().int().min(0).max(max);

/** A window's end in minutes of its day: `00:00` is the midnight that ends it. */
const endMinutes = (window: Window) => (window.end === '00:00' ? 24 * 60 : minutesOf(window.end));

const window = z
  .object({ start: wallTime, end: wallTime })
  .strict()
  .refine((value) => endMinutes(value) > minutesOf(value.start), {
    message: 'must end after it starts (00:00 as an end means midnight)',
    path: ['end'],
  });

/** Where two windows of one day overlap, the issue names the later one. */
function refuseOverlaps(windows: Window[], path: (string | number)[], context: z.RefinementCtx, positions = windows.map((_, i) => i)) {
  const ordered = windows.map((w, i) => ({ w, i: positions[i]! })).sort((a, b) => minutesOf(a.w.start) - minutesOf(b.w.start));
  for (let k = 1; k < ordered.length; k++) {
    if (minutesOf(ordered[k]!.w.start) < endMinutes(ordered[k - 1]!.w)) {
      context.addIssue({ code: 'custom', message: 'overlaps another window of the same day', path: [...path, ordered[k]!.i] });
    }
  }
}

/**
 * A schedule as a request sends it: every field checked, every problem a 400
 * naming its field. `bookingHorizonDays` is the system's ceiling on the
 * planning horizon (BOOKING_HORIZON_DAYS).
 */
export function scheduleSchema(bookingHorizonDays: number) {
  return z
    .object({
      timeZone: z.string().refine(isKnownTimeZone, { message: 'must be an IANA time zone, e.g. Europe/Lisbon' }),
      weekly: z.array(window.and(z.object({ days: z.array(z.enum(weekdays)).min(1) }))).max(50),
      overrides: z
        .array(z.object({ date: z.iso.date(), windows: z.array(window).max(10) }).strict())
        .max(400)
        .default([]),
      timeOff: z
        .array(
          z
            .object({ start: localDateTime, end: localDateTime })
            .strict()
            .refine((value) => value.end > value.start, { message: 'must end after it starts', path: ['end'] }),
        )
        .max(400)
        .default([]),
      bufferBeforeMinutes: minutes(240).default(0),
      bufferAfterMinutes: minutes(240).default(0),
      minimumNoticeMinutes: minutes(30 * 24 * 60).default(0),
      planningHorizonDays: z.number().int().min(1).max(bookingHorizonDays).default(bookingHorizonDays),
      durationsMinutes: z
        .array(z.number().int().min(10).max(240))
        .min(1)
        .refine((values) => new Set(values).size === values.length, { message: 'must not repeat a duration' }),
      slotIntervalMinutes: z.number().int().min(5).max(240).default(15),
    })
    .strict()
    .superRefine((schedule, context) => {
      for (const day of weekdays) {
        const positions = schedule.weekly.flatMap((rule, i) => (rule.days.includes(day) ? [i] : []));
        refuseOverlaps(
          positions.map((i) => schedule.weekly[i]!),
          ['weekly'],
          context,
          positions,
        );
      }
      const dates = new Set<string>();
      schedule.overrides.forEach((override, i) => {
        if (dates.has(override.date))
          context.addIssue({ code: 'custom', message: 'a date may have one override', path: ['overrides', i, 'date'] });
        dates.add(override.date);
        refuseOverlaps(override.windows, ['overrides', i, 'windows'], context);
      });
    }) satisfies z.ZodType<Schedule, unknown>;
}
