import { localOf } from './local-time';
import type { Schedule } from './schedule';
import type { Temporal } from 'temporal-polyfill';
import { timeOffRanges, workingDays, type WorkingDay } from './working-time';

/** Why a time cannot be booked, in the order the rules are checked. */
export const availabilityRefusals = [
  'SLOT_IN_PAST',
  'TOO_SOON',
  'BEYOND_HORIZON',
  'DURATION_NOT_ALLOWED',
  'TIME_OFF',
  'OUTSIDE_WORKING_HOURS',
  'SLOT_TAKEN',
] as const;
export type AvailabilityRefusal = (typeof availabilityRefusals)[number];

/** A consultation that holds the physician's time (HELD or CONFIRMED), with the buffers it was booked with. */
export interface BusyTime {
  startsAt: Date;
  endsAt: Date;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/** What a check needs besides the time itself: prepared once for a whole search. */
export interface AvailabilityContext {
  schedule: Schedule;
  now: Date;
  timeOff: { start: Date; end: Date }[];
  /** Busy ranges with their buffers, in order of start. */
  busy: { start: Date; end: Date }[];
  /** The working windows of a local date, computed once per context. */
  day: (date: Temporal.PlainDate) => WorkingDay;
}

const minute = 60_000;

/** The range a consultation keeps from others: itself widened by its buffers. */
export const bufferedRange = (startsAt: Date, endsAt: Date, before: number, after: number) => ({
  start: new Date(startsAt.getTime() - before * minute),
  end: new Date(endsAt.getTime() + after * minute),
});

export function availabilityContext(schedule: Schedule, busy: BusyTime[], now: Date): AvailabilityContext {
  return {
    schedule,
    now,
    day: workingDays(schedule),
    timeOff: timeOffRanges(schedule),
    busy: busy
      .map((taken) => bufferedRange(taken.startsAt, taken.endsAt, taken.bufferBeforeMinutes, taken.bufferAfterMinutes))
      .sort((a, b) => a.start.getTime() - b.start.getTime()),
  };
}

const overlaps = (a: { start: Date; end: Date }, b: { start: Date; end: Date }) =>
  a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();

/**
 * Why this time cannot be booked, or undefined when it can: the one rule
 * that offering a time and accepting a booking both apply, so nothing is
 * offered that the booking would then refuse. A consultation lies wholly in
 * one working window; its buffered range overlaps no other's buffered range.
 */
export function refusal(context: AvailabilityContext, startsAt: Date, durationMinutes: number): AvailabilityRefusal | undefined {
  return refusalOn(context, startsAt, durationMinutes, localOf(startsAt, context.schedule.timeZone).toPlainDate());
}

/** The same rule, for a caller that knows the start's local date already (the search, which made it from that date). */
export function refusalOn(
  context: AvailabilityContext,
  startsAt: Date,
  durationMinutes: number,
  localDate: Temporal.PlainDate,
): AvailabilityRefusal | undefined {
  const { schedule, now } = context;
  const start = startsAt.getTime();
  const endsAt = new Date(start + durationMinutes * minute);
  if (start < now.getTime()) return 'SLOT_IN_PAST';
  if (start < now.getTime() + schedule.minimumNoticeMinutes * minute) return 'TOO_SOON';
  if (start > now.getTime() + schedule.planningHorizonDays * 24 * 60 * minute) return 'BEYOND_HORIZON';
  if (!schedule.durationsMinutes.includes(durationMinutes)) return 'DURATION_NOT_ALLOWED';
  const own = { start: startsAt, end: endsAt };
  if (context.timeOff.some((off) => overlaps(own, off))) return 'TIME_OFF';
  const inWindow = context
    .day(localDate)
    .windows.some((window) => window.startsAt.getTime() <= start && endsAt.getTime() <= window.endsAt.getTime());
  if (!inWindow) return 'OUTSIDE_WORKING_HOURS';
  const kept = bufferedRange(startsAt, endsAt, schedule.bufferBeforeMinutes, schedule.bufferAfterMinutes);
  for (const taken of context.busy) {
    if (taken.start.getTime() >= kept.end.getTime()) break;
    if (overlaps(kept, taken)) return 'SLOT_TAKEN';
  }
  return undefined;
}
