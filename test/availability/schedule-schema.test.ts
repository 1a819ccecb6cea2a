import { describe, expect, it } from 'vitest';
import { scheduleSchema } from '../../services/physicians/availability';

const valid = {
  timeZone: 'Europe/Lisbon',
  weekly: [
    { days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '09:00', end: '13:00' },
    { days: ['MON'], start: '14:00', end: '00:00' },
  ],
  durationsMinutes: [30],
};
const problems = (input: unknown) => {
  const parsed = scheduleSchema(730).safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('a schedule as a request sends it', () => {
  it('takes a valid one, with defaults for what it leaves out and 00:00 as the end of the day', () => {
    const parsed = scheduleSchema(730).parse(valid);
    expect(parsed).toMatchObject({ overrides: [], timeOff: [], bufferBeforeMinutes: 0, planningHorizonDays: 730, slotIntervalMinutes: 15 });
  });

  it.each([
    ['an unknown zone', { timeZone: 'Mars/Olympus' }, /^timeZone: must be an IANA time zone/],
    ['an offset instead of a zone', { timeZone: '+01:00' }, /^timeZone: /],
    ['an end before its start', { weekly: [{ days: ['MON'], start: '13:00', end: '09:00' }] }, /^weekly\.0\.end: must end after it starts/],
    ['a start at 24:00', { weekly: [{ days: ['MON'], start: '24:00', end: '00:00' }] }, /^weekly\.0\.start: expected HH:mm/],
    [
      'two windows of one day that overlap',
      {
        weekly: [
          { days: ['MON', 'TUE'], start: '09:00', end: '13:00' },
          { days: ['TUE'], start: '12:00', end: '15:00' },
        ],
      },
      /^weekly\.1: overlaps another window of the same day/,
    ],
    [
      'overlapping windows in an override',
      {
        overrides: [
          {
            date: '2027-03-22',
            windows: [
              { start: '09:00', end: '12:00' },
              { start: '11:00', end: '12:30' },
            ],
          },
        ],
      },
      /^overrides\.0\.windows\.1: overlaps/,
    ],
    [
      'a date with two overrides',
      {
        overrides: [
          { date: '2027-03-22', windows: [] },
          { date: '2027-03-22', windows: [] },
        ],
      },
      /^overrides\.1\.date: /,
    ],
    ['time off that ends before it starts', { timeOff: [{ start: '2027-03-22T10:00', end: '2027-03-22T09:00' }] }, /^timeOff\.0\.end: /],
    ['a buffer out of range', { bufferAfterMinutes: 600 }, /^bufferAfterMinutes: /],
    ['a negative notice', { minimumNoticeMinutes: -5 }, /^minimumNoticeMinutes: /],
    ['a horizon beyond the system’s', { planningHorizonDays: 731 }, /^planningHorizonDays: /],
    ['no duration', { durationsMinutes: [] }, /^durationsMinutes: /],
    ['a duration twice', { durationsMinutes: [30, 30] }, /^durationsMinutes: must not repeat/],
    ['an unknown field', { colour: 'blue' }, /colour/],
  ])('refuses %s, naming the field', (_what, change, message) => {
    const found = problems({ ...valid, ...change });
    expect(found.length).toBeGreaterThan(0);
    expect(
      found.some((line) => message.test(line)),
      found.join('; '),
    ).toBe(true);
  });
});
