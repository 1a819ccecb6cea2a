import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { availabilityContext, freeStarts, refusal, weekdays, type BusyTime, type Schedule } from '../../services/physicians/availability';

const zones = ['Europe/Lisbon', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Sao_Paulo', 'UTC'];
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Windows of one day that do not overlap, on a 5-minute grid; an end at 24:00 is written 00:00. */
const dayWindows = fc.uniqueArray(fc.integer({ min: 0, max: 288 }), { minLength: 0, maxLength: 6 }).map((cuts) => {
  const sorted = [...cuts].sort((a, b) => a - b);
  const windows: { start: string; end: string }[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) {
    if (sorted[i]! < sorted[i + 1]!) windows.push({ start: hhmm(sorted[i]! * 5), end: hhmm(sorted[i + 1]! * 5) });
  }
  return windows;
});

const schedule: fc.Arbitrary<Schedule> = fc.record({
  timeZone: fc.constantFrom(...zones),
  weekly: fc
    .array(
      fc
        .record({ day: fc.constantFrom(...weekdays), windows: dayWindows })
        .map(({ day, windows }) => windows.map((w) => ({ ...w, days: [day] }))),
      { maxLength: 3 },
    )
    .map((perDay) => {
      // The first generated entry of a weekday only: windows of two entries for one day could overlap.
      const days = new Set<string>();
      return perDay.filter((rules) => rules.length > 0 && !days.has(rules[0]!.days[0]!) && days.add(rules[0]!.days[0]!)).flat();
    }),
  overrides: fc
    .array(
      fc.record({
        date: fc.integer({ min: 0, max: 13 }).map((d) => Temporal.PlainDate.from('2027-03-08').add({ days: d }).toString()),
        windows: dayWindows,
      }),
      { maxLength: 3 },
    )
    .map((list) => {
      const dates = new Set<string>();
      return list.filter(({ date }) => !dates.has(date) && dates.add(date));
    }),
  timeOff: fc.array(
    fc
      .record({ day: fc.integer({ min: 0, max: 13 }), start: fc.integer({ min: 0, max: 287 }), hours: fc.integer({ min: 1, max: 30 }) })
      .map(({ day, start, hours }) => {
        const from = Temporal.PlainDateTime.from('2027-03-08T00:00').add({ days: day, minutes: start * 5 });
        return { start: from.toString({ smallestUnit: 'minute' }), end: from.add({ hours }).toString({ smallestUnit: 'minute' }) };
      }),
    { maxLength: 2 },
  ),
  bufferBeforeMinutes: fc.constantFrom(0, 5, 10, 15),
  bufferAfterMinutes: fc.constantFrom(0, 5, 10, 30),
  minimumNoticeMinutes: fc.constantFrom(0, 60, 24 * 60),
  planningHorizonDays: fc.integer({ min: 1, max: 14 }),
  durationsMinutes: fc.uniqueArray(fc.constantFrom(10, 15, 20, 30, 45, 60), { minLength: 1, maxLength: 3 }),
  slotIntervalMinutes: fc.constantFrom(5, 10, 15, 20, 30),
});

const start = new Date('2027-03-08T00:00:00Z');
const busy: fc.Arbitrary<BusyTime[]> = fc.array(
  fc
    .record({
      at: fc.integer({ min: 0, max: 14 * 288 }),
      minutes: fc.constantFrom(10, 30, 60),
      before: fc.constantFrom(0, 10),
      after: fc.constantFrom(0, 15),
    })
    .map(({ at, minutes, before, after }) => {
      const startsAt = new Date(start.getTime() + at * 5 * 60_000);
      return { startsAt, endsAt: new Date(startsAt.getTime() + minutes * 60_000), bufferBeforeMinutes: before, bufferAfterMinutes: after };
    }),
  { maxLength: 25 },
);

/**
 * Offering and booking take the same rule: every time offered is accepted,
 * and every start the rule accepts on the schedule's grid (every interval
 * from a window's start, in the physician's wall-clock time) is offered.
 */
describe('offers and the booking rule agree', () => {
  it('on random schedules, bookings, windows and clocks', () => {
    fc.assert(
      fc.property(
        schedule,
        busy,
        fc.integer({ min: 0, max: 7 * 288 }),
        fc.integer({ min: 1, max: 7 * 288 }),
        fc.integer({ min: -288, max: 3 * 288 }),
        (schedule, busy, fromStep, lengthSteps, nowStep) => {
          const now = new Date(start.getTime() + nowStep * 5 * 60_000);
          const from = new Date(start.getTime() + fromStep * 5 * 60_000);
          const to = new Date(from.getTime() + lengthSteps * 5 * 60_000);
          const durationMinutes = schedule.durationsMinutes[0]!;
          const context = availabilityContext(schedule, busy, now);
          const offered = freeStarts(context, { from, to, durationMinutes, viewerTimeZone: 'UTC' }).flatMap(({ times }) =>
            times.map((t) => t.startsAt),
          );
          for (const at of offered) expect(refusal(context, new Date(at), durationMinutes), at).toBeUndefined();
          expect(new Set(offered).size).toBe(offered.length);

          // Every grid start in [from, to), walked independently of freeStarts, that the rule accepts.
          const accepted = new Set<string>();
          for (let instant = from.getTime(); instant < to.getTime(); instant += 5 * 60_000) {
            const at = new Date(instant);
            if (refusal(context, at, durationMinutes) === undefined && onGrid(schedule, at)) accepted.add(at.toISOString());
          }
          expect(offered.filter((at) => !accepted.has(at))).toEqual([]);
          expect([...accepted].filter((at) => !offered.includes(at))).toEqual([]);
        },
      ),
      { numRuns: Number(process.env.HAP_PROPERTY_RUNS ?? 150) },
    );
  });
});

/** Whether an instant is a grid start of one of its local day's windows: its first occurrence, a whole number of intervals from the window's start. */
function onGrid(schedule: Schedule, at: Date): boolean {
  const zoned = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(schedule.timeZone);
  const local = zoned.toPlainDateTime();
  // A repeated wall-clock time counts at its first occurrence only.
  if (local.toZonedDateTime(schedule.timeZone, { disambiguation: 'earlier' }).epochMilliseconds !== at.getTime()) return false;
  const date = local.toPlainDate();
  const override = schedule.overrides.find((o) => o.date === date.toString());
  const windows = override ? override.windows : schedule.weekly.filter((w) => w.days.includes(weekdays[date.dayOfWeek - 1]!));
  const minuteOfDay = local.hour * 60 + local.minute;
  const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
  // The grid of the window the start falls in (windows of a day do not overlap).
  return windows.some(({ start, end }) => {
    const offset = minuteOfDay - minutes(start);
    const last = end === '00:00' ? 24 * 60 : minutes(end);
    return offset >= 0 && minuteOfDay < last && offset % schedule.slotIntervalMinutes === 0;
  });
}
