import { Temporal } from 'temporal-polyfill';

/**
 * Wall-clock time in a zone, through the IANA database (temporal-polyfill
 * over the runtime's Intl): never by adding hours to UTC. A conversion costs
 * tens to hundreds of microseconds, so a day whose offset does not change is
 * converted once, at its midnight, and its wall clock then maps to instants
 * by elapsed minutes from there.
 */

const offsetAt = (instant: Date, timeZone: string) =>
  Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone).offsetNanoseconds;

/** The instant a local date-time names in the zone; undefined when it does not exist (skipped by a spring-forward change). A time that occurs twice (fall-back) is its first occurrence. */
export function instantOf(local: Temporal.PlainDateTime, timeZone: string): Date | undefined {
  const zoned = local.toZonedDateTime(timeZone, { disambiguation: 'earlier' });
  // In a gap, 'earlier' gives the instant before it, whose wall clock is not the one asked for.
  if (!zoned.toPlainDateTime().equals(local)) return undefined;
  return new Date(zoned.epochMilliseconds);
}

/** The first instant at or after a local date-time: through a gap, the instant it ends. */
export function instantAtOrAfter(local: Temporal.PlainDateTime, timeZone: string): Date {
  return new Date(local.toZonedDateTime(timeZone, { disambiguation: 'later' }).epochMilliseconds);
}

/** The wall clock of an instant in the zone. */
export function localOf(instant: Date, timeZone: string): Temporal.PlainDateTime {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone).toPlainDateTime();
}

/** One local date in a zone: its midnight, and whether its offset holds all day (so that its wall clock maps to instants by minutes). */
export interface LocalDay {
  date: Temporal.PlainDate;
  /** The instant the day starts (at or after 00:00 when a change skips midnight). */
  startsAt: Date;
  /** Whether the day has one offset from its start to the next day's. */
  uniform: boolean;
  /** The instant the next day starts. */
  nextStartsAt: Date;
}

/**
 * The local day of a date. Given the day before, whose offset held, it
 * starts where that one ended: one offset lookup a day instead of a
 * conversion.
 */
export function localDay(date: Temporal.PlainDate, timeZone: string, previous?: LocalDay): LocalDay {
  const midnight = date.toPlainDateTime();
  const chained = previous?.uniform === true && previous.date.add({ days: 1 }).equals(date);
  const start = chained ? previous.nextStartsAt : instantAtOrAfter(midnight, timeZone);
  // A change at midnight (a day that starts at 01:00) is not uniform: its wall clock is not minutes from 00:00.
  const startsAtMidnight = chained || localOf(start, timeZone).equals(midnight);
  const naiveNext = new Date(start.getTime() + 24 * 60 * 60_000);
  const uniform = startsAtMidnight && offsetAt(naiveNext, timeZone) === offsetAt(start, timeZone);
  const nextStartsAt = uniform ? naiveNext : instantAtOrAfter(date.add({ days: 1 }).toPlainDateTime(), timeZone);
  return { date, startsAt: start, uniform, nextStartsAt };
}

/** The first instant at or after a wall-clock time of the day: by minutes on a uniform day, through the database otherwise. */
export function instantOn(day: LocalDay, local: Temporal.PlainDateTime, timeZone: string): Date {
  if (day.uniform) {
    return new Date(day.startsAt.getTime() + local.since(day.date.toPlainDateTime()).total('minutes') * 60_000);
  }
  return instantAtOrAfter(local, timeZone);
}

/** `HH:mm` on a date; `00:00` as an end is the next midnight. */
export function wallClock(date: Temporal.PlainDate, time: string, asEnd = false): Temporal.PlainDateTime {
  const at = date.toPlainDateTime(Temporal.PlainTime.from(time));
  return asEnd && time === '00:00' ? at.add({ days: 1 }) : at;
}

/** Whether the runtime's IANA database knows the zone (`Europe/Lisbon` yes, `Mars/Olympus` or `+01:00` no). */
export function isKnownTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) return false;
  try {
    Temporal.Now.zonedDateTimeISO(timeZone);
    return true;
  } catch {
    return false;
  }
}

export const minutesOf = (time: string) => {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
};
