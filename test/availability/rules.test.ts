import { describe, expect, it } from 'vitest';
import { availabilityContext, freeStarts, refusal, type BusyTime, type Schedule } from '../../services/physicians/availability';

const now = new Date('2027-03-01T00:00:00Z');
const lisbon: Schedule = {
  timeZone: 'Europe/Lisbon',
  weekly: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '09:00', end: '13:00' }],
  overrides: [],
  timeOff: [],
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 10,
  minimumNoticeMinutes: 0,
  planningHorizonDays: 730,
  durationsMinutes: [30],
  slotIntervalMinutes: 15,
};
const week = (monday: string) => ({
  from: new Date(`${monday}T00:00:00Z`),
  to: new Date(new Date(`${monday}T00:00:00Z`).getTime() + 7 * 864e5),
});
const offers = (schedule: Schedule, window: { from: Date; to: Date }, busy: BusyTime[] = [], viewerTimeZone = schedule.timeZone) =>
  freeStarts(availabilityContext(schedule, busy, now), { ...window, durationMinutes: 30, viewerTimeZone });
const check = (schedule: Schedule, startsAt: string, busy: BusyTime[] = [], duration = 30, at = now) =>
  refusal(availabilityContext(schedule, busy, at), new Date(startsAt), duration);

describe('a physician in Lisbon, Monday to Friday 09:00–13:00, 10 minutes kept after each consultation', () => {
  it('offers Monday 09:00 local: 09:00Z before the clocks go forward on 28 March 2027, 08:00Z after', () => {
    const before = offers(lisbon, week('2027-03-22'));
    expect(before[0]!.date).toBe('2027-03-22');
    expect(before[0]!.times[0]).toEqual({ startsAt: '2027-03-22T09:00:00.000Z', localDate: '2027-03-22', localTime: '09:00' });
    const after = offers(lisbon, week('2027-03-29'));
    expect(after[0]!.times[0]).toEqual({ startsAt: '2027-03-29T08:00:00.000Z', localDate: '2027-03-29', localTime: '09:00' });
    // 09:00 to 12:30 every 15 minutes, five days a week, nothing at the weekend.
    expect(before.map(({ date }) => date)).toEqual(['2027-03-22', '2027-03-23', '2027-03-24', '2027-03-25', '2027-03-26']);
    expect(before[0]!.times.map(({ localTime }) => localTime).at(-1)).toBe('12:30');
    expect(before[0]!.times).toHaveLength(15);
  });

  it('no longer offers a booked time, refuses 14:00 local and a start inside the buffer', () => {
    const booked: BusyTime = {
      startsAt: new Date('2027-03-22T09:00:00Z'),
      endsAt: new Date('2027-03-22T09:30:00Z'),
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
    };
    const monday = offers(lisbon, week('2027-03-22'), [booked])[0]!.times.map(({ localTime }) => localTime);
    expect(monday.slice(0, 2)).toEqual(['09:45', '10:00']);
    expect(check(lisbon, '2027-03-22T09:00:00Z', [booked])).toBe('SLOT_TAKEN');
    expect(check(lisbon, '2027-03-22T09:35:00Z', [booked])).toBe('SLOT_TAKEN');
    expect(check(lisbon, '2027-03-22T09:40:00Z', [booked])).toBeUndefined();
    expect(check(lisbon, '2027-03-22T14:00:00Z')).toBe('OUTSIDE_WORKING_HOURS');
    // 12:45 + 30 minutes runs past 13:00.
    expect(check(lisbon, '2027-03-22T12:45:00Z')).toBe('OUTSIDE_WORKING_HOURS');
    expect(check(lisbon, '2027-03-27T10:00:00Z')).toBe('OUTSIDE_WORKING_HOURS');
  });

  it('shows the times in the viewer’s zone, grouped by the viewer’s dates', () => {
    const inSaoPaulo = offers(lisbon, week('2027-03-22'), [], 'America/Sao_Paulo');
    expect(inSaoPaulo[0]!.times[0]).toEqual({ startsAt: '2027-03-22T09:00:00.000Z', localDate: '2027-03-22', localTime: '06:00' });
    const inKolkata = offers(lisbon, week('2027-03-22'), [], 'Asia/Kolkata');
    expect(inKolkata[0]!.times[0]).toEqual({ startsAt: '2027-03-22T09:00:00.000Z', localDate: '2027-03-22', localTime: '14:30' });
  });
});

describe('each rule refuses with its own reason', () => {
  it('in the past, inside the notice, beyond the horizon, a length not offered', () => {
    const strict: Schedule = { ...lisbon, minimumNoticeMinutes: 24 * 60, planningHorizonDays: 30 };
    const at = new Date('2027-03-22T08:00:00Z');
    expect(check(strict, '2027-03-19T09:00:00Z', [], 30, at)).toBe('SLOT_IN_PAST');
    expect(check(strict, '2027-03-22T10:00:00Z', [], 30, at)).toBe('TOO_SOON');
    expect(check(strict, '2027-03-23T09:00:00Z', [], 30, at)).toBeUndefined();
    expect(check(strict, '2027-04-26T09:00:00Z', [], 30, at)).toBe('BEYOND_HORIZON');
    expect(check(strict, '2027-03-23T09:00:00Z', [], 45, at)).toBe('DURATION_NOT_ALLOWED');
  });

  it('time off, in local time, wins over working hours; an override replaces the day or closes it', () => {
    const away: Schedule = {
      ...lisbon,
      timeOff: [{ start: '2027-03-23T11:00', end: '2027-03-25T00:00' }],
      overrides: [
        { date: '2027-03-22', windows: [{ start: '14:00', end: '16:00' }] },
        { date: '2027-03-26', windows: [] },
      ],
    };
    expect(check(away, '2027-03-23T10:45:00Z')).toBe('TIME_OFF');
    expect(check(away, '2027-03-23T10:30:00Z')).toBeUndefined();
    expect(check(away, '2027-03-24T09:00:00Z')).toBe('TIME_OFF');
    expect(check(away, '2027-03-22T09:00:00Z')).toBe('OUTSIDE_WORKING_HOURS');
    expect(check(away, '2027-03-22T14:00:00Z')).toBeUndefined();
    expect(check(away, '2027-03-26T09:00:00Z')).toBe('OUTSIDE_WORKING_HOURS');
    expect(offers(away, week('2027-03-22')).map(({ date }) => date)).toEqual(['2027-03-22', '2027-03-23', '2027-03-25']);
  });

  it('a window ending 00:00 runs to midnight', () => {
    const evenings: Schedule = { ...lisbon, weekly: [{ days: ['MON'], start: '22:00', end: '00:00' }] };
    expect(check(evenings, '2027-03-22T23:30:00Z')).toBeUndefined();
    expect(check(evenings, '2027-03-22T23:45:00Z')).toBe('OUTSIDE_WORKING_HOURS');
    expect(offers(evenings, week('2027-03-22'))[0]!.times.map(({ localTime }) => localTime)).toEqual([
      '22:00',
      '22:15',
      '22:30',
      '22:45',
      '23:00',
      '23:15',
      '23:30',
    ]);
  });
});
