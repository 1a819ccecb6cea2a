import { Temporal } from 'temporal-polyfill';
import { instantAtOrAfter, instantOn, localDay, wallClock, type LocalDay } from './local-time';
import { weekdays, type Schedule, type Window } from './schedule';

/** A working window of one local date, as wall-clock times and as the instants they name. */
export interface WorkingWindow {
  start: Temporal.PlainDateTime;
  end: Temporal.PlainDateTime;
  startsAt: Date;
  endsAt: Date;
}

/** A local date of the schedule: the day itself and its working windows, in order of start. */
export interface WorkingDay {
  day: LocalDay;
  windows: WorkingWindow[];
}

/** The windows of a local day: its override's if it has one, else the weekly rules of its weekday. */
export function workingDay(schedule: Schedule, day: LocalDay): WorkingDay {
  const { date } = day;
  const override = schedule.overrides.find((entry) => entry.date === date.toString());
  const weekday = weekdays[date.dayOfWeek - 1]!;
  const windows: Window[] = override ? override.windows : schedule.weekly.filter((rule) => rule.days.includes(weekday));
  const zone = schedule.timeZone;
  return {
    day,
    windows: windows
      .map(({ start, end }) => {
        const from = wallClock(date, start);
        const to = wallClock(date, end, true);
        // A bound inside a spring-forward gap moves to the instant the gap ends.
        const endsAt = end === '00:00' ? day.nextStartsAt : instantOn(day, to, zone);
        return { start: from, end: to, startsAt: instantOn(day, from, zone), endsAt };
      })
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()),
  };
}

/** Working days by date, each computed once and chained from the day before where it can be. */
export function workingDays(schedule: Schedule): (date: Temporal.PlainDate) => WorkingDay {
  const known = new Map<string, WorkingDay>();
  return (date) => {
    const key = date.toString();
    let found = known.get(key);
    if (!found) {
      const previous = known.get(date.subtract({ days: 1 }).toString())?.day;
      found = workingDay(schedule, localDay(date, schedule.timeZone, previous));
      known.set(key, found);
    }
    return found;
  };
}

/** The schedule's time off as instants, start included, end excluded. */
export function timeOffRanges(schedule: Schedule): { start: Date; end: Date }[] {
  return schedule.timeOff.map(({ start, end }) => ({
    start: instantAtOrAfter(Temporal.PlainDateTime.from(start), schedule.timeZone),
    end: instantAtOrAfter(Temporal.PlainDateTime.from(end), schedule.timeZone),
  }));
}
