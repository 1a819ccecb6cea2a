import { describe, expect, it } from 'vitest';
import { availabilityContext, freeStarts, refusal, type Schedule } from '../../services/physicians/availability';

const now = new Date('2027-01-01T00:00:00Z');
/** Open from midnight to 04:00 on the one date, every 30 minutes: the hours the clocks change in. */
const night = (timeZone: string, date: string): Schedule => ({
  timeZone,
  weekly: [],
  overrides: [{ date, windows: [{ start: '00:00', end: '04:00' }] }],
  timeOff: [],
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minimumNoticeMinutes: 0,
  planningHorizonDays: 730,
  durationsMinutes: [30],
  slotIntervalMinutes: 30,
});
const offered = (schedule: Schedule, date: string) => {
  const from = new Date(new Date(`${date}T00:00:00Z`).getTime() - 2 * 864e5);
  const to = new Date(from.getTime() + 4 * 864e5);
  const days = freeStarts(availabilityContext(schedule, [], now), { from, to, durationMinutes: 30, viewerTimeZone: schedule.timeZone });
  return days.flatMap(({ times }) => times.map(({ startsAt, localTime }) => `${localTime} ${startsAt.slice(11, 16)}Z`));
};

describe('wall-clock hours on the 2027 days the clocks change', () => {
  it.each([
    // zone, date, what is offered (local time and the instant's UTC time)
    ['Europe/Lisbon', '2027-03-28', ['00:00 00:00Z', '00:30 00:30Z', '02:00 01:00Z', '02:30 01:30Z', '03:00 02:00Z', '03:30 02:30Z']],
    [
      'Europe/Lisbon',
      '2027-10-31',
      ['00:00 23:00Z', '00:30 23:30Z', '01:00 00:00Z', '01:30 00:30Z', '02:00 02:00Z', '02:30 02:30Z', '03:00 03:00Z', '03:30 03:30Z'],
    ],
    ['America/New_York', '2027-03-14', ['00:00 05:00Z', '00:30 05:30Z', '01:00 06:00Z', '01:30 06:30Z', '03:00 07:00Z', '03:30 07:30Z']],
    [
      'America/New_York',
      '2027-11-07',
      ['00:00 04:00Z', '00:30 04:30Z', '01:00 05:00Z', '01:30 05:30Z', '02:00 07:00Z', '02:30 07:30Z', '03:00 08:00Z', '03:30 08:30Z'],
    ],
    // Lord Howe moves by half an hour: 02:00 → 01:30 in April, 02:00 → 02:30 in October.
    [
      'Australia/Lord_Howe',
      '2027-04-04',
      ['00:00 13:00Z', '00:30 13:30Z', '01:00 14:00Z', '01:30 14:30Z', '02:00 15:30Z', '02:30 16:00Z', '03:00 16:30Z', '03:30 17:00Z'],
    ],
    [
      'Australia/Lord_Howe',
      '2027-10-03',
      ['00:00 13:30Z', '00:30 14:00Z', '01:00 14:30Z', '01:30 15:00Z', '02:30 15:30Z', '03:00 16:00Z', '03:30 16:30Z'],
    ],
  ])('%s on %s: a skipped time is not offered, a repeated one once', (zone, date, expected) => {
    expect(offered(night(zone, date), date)).toEqual(expected);
  });

  it.each([
    ['Asia/Kolkata', ['2027-01-15', '2027-07-15'], '03:30Z'],
    ['America/Sao_Paulo', ['2027-01-15', '2027-07-15'], '12:00Z'],
  ])('%s keeps one offset all year: 09:00 local is %s in January and July', (zone, dates, utc) => {
    for (const date of dates) {
      const day: Schedule = { ...night(zone, date), overrides: [{ date, windows: [{ start: '09:00', end: '10:00' }] }] };
      expect(offered(day, date)[0]).toBe(`09:00 ${utc}`);
    }
  });

  it('keeps a consultation that spans a change within its window in real minutes', () => {
    // New York, 14 March 2027: 01:30 EST plus 30 minutes is 03:00 EDT; the window ends 04:00 local.
    const schedule = night('America/New_York', '2027-03-14');
    expect(refusal(availabilityContext(schedule, [], now), new Date('2027-03-14T06:30:00Z'), 30)).toBeUndefined();
    expect(refusal(availabilityContext(schedule, [], now), new Date('2027-03-14T07:30:00Z'), 30)).toBeUndefined();
    expect(refusal(availabilityContext(schedule, [], now), new Date('2027-03-14T08:00:00Z'), 30)).toBe('OUTSIDE_WORKING_HOURS');
  });
});
