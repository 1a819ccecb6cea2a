import { Temporal } from 'temporal-polyfill';
import { instantOf, localOf } from './local-time';
import { refusalOn, type AvailabilityContext } from './rules';

/** A free start time: the instant, and its wall clock where the viewer is. */
export interface Offer {
  startsAt: string;
  localDate: string;
  localTime: string;
}

/** Offers grouped by their local date in the viewer's zone, in order. */
export interface OffersByDate {
  date: string;
  times: Offer[];
}

const offsetOf = (instant: Date, zone: string) =>
  Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(zone).offsetNanoseconds;

/**
 * The free start times in [from, to) for a consultation of this length:
 * each working window's start, then every slot interval after it, in the
 * physician's wall-clock time, kept when the one rule (`refusalOn`) accepts
 * it. A wall-clock time a spring-forward change skips is not offered; one a
 * fall-back change repeats is offered once, at its first occurrence. The
 * loop counts wall-clock minutes: Temporal objects cost tens of
 * microseconds each, and a 28-day search walks hundreds of steps.
 */
export function freeStarts(
  context: AvailabilityContext,
  search: { from: Date; to: Date; durationMinutes: number; viewerTimeZone: string },
): OffersByDate[] {
  const { schedule } = context;
  const zone = schedule.timeZone;
  const step = schedule.slotIntervalMinutes;
  const byDate = new Map<string, Offer[]>();
  const last = localOf(search.to, zone).toPlainDate();
  // From the day before: a window of the previous local date can still run when `from` falls.
  for (
    let date = localOf(search.from, zone).toPlainDate().subtract({ days: 1 });
    Temporal.PlainDate.compare(date, last) <= 0;
    date = date.add({ days: 1 })
  ) {
    const { day, windows } = context.day(date);
    for (const window of windows) {
      if (window.endsAt <= search.from || window.startsAt >= search.to) continue;
      const first = window.start.hour * 60 + window.start.minute;
      const end = first + Math.round(window.end.since(window.start).total('minutes'));
      const label = viewerClock(window.startsAt, window.endsAt, search.viewerTimeZone);
      for (let minute = first; minute < end; minute += step) {
        // On a day with one offset, a step is that many minutes after the window's start; else the database says.
        const startsAt = day.uniform
          ? new Date(window.startsAt.getTime() + (minute - first) * 60_000)
          : instantOf(date.toPlainDateTime({ hour: Math.floor(minute / 60), minute: minute % 60 }), zone);
        if (!startsAt || startsAt < search.from || startsAt >= search.to) continue;
        if (refusalOn(context, startsAt, search.durationMinutes, date) !== undefined) continue;
        const offer = { startsAt: startsAt.toISOString(), ...label(startsAt) };
        const offers = byDate.get(offer.localDate) ?? [];
        offers.push(offer);
        byDate.set(offer.localDate, offers);
      }
    }
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, times]) => ({ date, times: times.sort((a, b) => a.startsAt.localeCompare(b.startsAt)) }));
}

const twoDigits = (value: number) => String(value).padStart(2, '0');

/**
 * The viewer's date and wall-clock time of instants in one window: one
 * conversion for the window when the viewer's offset holds across it (the
 * rest is minutes on that clock), one per instant when it does not.
 */
function viewerClock(from: Date, to: Date, viewerTimeZone: string): (instant: Date) => { localDate: string; localTime: string } {
  const exact = (instant: Date) => {
    const local = localOf(instant, viewerTimeZone);
    return { localDate: local.toPlainDate().toString(), localTime: `${twoDigits(local.hour)}:${twoDigits(local.minute)}` };
  };
  if (offsetOf(from, viewerTimeZone) !== offsetOf(to, viewerTimeZone)) return exact;
  const start = localOf(from, viewerTimeZone);
  const startMinute = start.hour * 60 + start.minute;
  const dates = new Map<number, string>();
  return (instant) => {
    const minute = startMinute + Math.round((instant.getTime() - from.getTime()) / 60_000);
    const dayOffset = Math.floor(minute / 1440);
    let localDate = dates.get(dayOffset);
    if (localDate === undefined) dates.set(dayOffset, (localDate = start.toPlainDate().add({ days: dayOffset }).toString()));
    const ofDay = minute - dayOffset * 1440;
    return { localDate, localTime: `${twoDigits(Math.floor(ofDay / 60))}:${twoDigits(ofDay % 60)}` };
  };
}
