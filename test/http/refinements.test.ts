import { z } from '@hono/zod-openapi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../libraries/config/env';
import { validationError } from '../../libraries/http/errors';
import { birthDate, bookingStart, changes, controlCharactersMessage, email, instant, text } from '../../libraries/http/refinements';

const day = 86_400_000;
const messages = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

describe('libraries/http/refinements', () => {
  afterEach(() => vi.useRealTimers());

  it('text refuses NUL, the rest of C0 and DEL; multiline text keeps tab, newline and carriage return only', () => {
    const line = text();
    const free = text({ multiline: true });
    for (const bad of ['A\u0000b', 'a\u0001', 'a\u001f', 'a\u007f', 'a\u001b[31m']) {
      expect(messages(line, bad)).toEqual([controlCharactersMessage]);
      expect(messages(free, bad)).toEqual([controlCharactersMessage]);
    }
    for (const breakLike of ['a\tb', 'a\nb', 'a\r\nb']) {
      expect(messages(line, breakLike)).toEqual([controlCharactersMessage]);
      expect(free.parse(breakLike)).toBe(breakLike);
    }
    expect(line.parse('Dr. Rui Sá — cardiologia 🫀')).toBe('Dr. Rui Sá — cardiologia 🫀');
    // Checked on the raw input, then trimmed: a trailing newline in a name is refused, not trimmed away.
    expect(messages(line.trim().min(1), 'Ana\n')).toEqual([controlCharactersMessage]);
    expect(line.trim().min(1).parse('  Ana  ')).toBe('Ana');
    expect(messages(email(), 'a\u0000@example.org')).toContain(controlCharactersMessage);
    expect(email().parse('a@example.org')).toBe('a@example.org');
  });

  it('a birth date is an ISO date from 1900-01-01 to today, today taken at validation time', () => {
    const schema = birthDate();
    expect(schema.parse('1900-01-01')).toBe('1900-01-01');
    expect(messages(schema, '1899-12-31')).toEqual(['must not be before 1900-01-01']);
    expect(messages(schema, '0000-01-01')).toEqual(['must not be before 1900-01-01']);
    expect(messages(schema, '1990-02-30')).toHaveLength(1);
    const today = new Date().toISOString().slice(0, 10);
    expect(schema.parse(today)).toBe(today);
    expect(messages(schema, new Date(Date.now() + 2 * day).toISOString().slice(0, 10))).toEqual(['must not be in the future']);

    // The same schema, later: "today" moved with the clock, it was not fixed when the schema was built.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2040-06-01T12:00:00Z'));
    expect(schema.parse('2040-05-30')).toBe('2040-05-30');
    expect(messages(schema, '2040-06-03')).toEqual(['must not be in the future']);
  });

  it('an instant has an offset and stays within what ISO strings and PostgreSQL timestamptz both hold', () => {
    const schema = instant();
    expect(schema.parse('2030-01-07T10:00:00Z')).toBe('2030-01-07T10:00:00Z');
    expect(schema.parse('2030-01-07T10:00:00.123+14:00')).toBe('2030-01-07T10:00:00.123+14:00');
    expect(messages(schema, '2030-01-07T10:00:00')).toHaveLength(1);
    expect(messages(schema, '0000-05-04T10:00:00Z')).toEqual(['must not be before 2000-01-01T00:00:00Z']);
    expect(messages(schema, '1999-12-31T23:59:59Z')).toEqual(['must not be before 2000-01-01T00:00:00Z']);
    expect(messages(schema, '9999-12-31T23:50:00Z')).toEqual(['must be before 9999-01-01T00:00:00Z']);
  });

  it('a booking start is at most the horizon ahead of now, now taken at validation time', () => {
    const schema = bookingStart(30);
    const inDays = (days: number) => new Date(Date.now() + days * day).toISOString();
    const soon = inDays(29);
    expect(schema.parse(soon)).toBe(soon);
    expect(messages(schema, inDays(31))).toEqual(['must be at most 30 days ahead (the booking horizon)']);
    expect(messages(schema, '9999-12-31T23:50:00Z')).toEqual(['must be before 9999-01-01T00:00:00Z']);
    // Even an absurd horizon never lets an unstorable instant through.
    expect(messages(bookingStart(10_000_000), '9999-12-31T23:50:00Z')).toEqual(['must be before 9999-01-01T00:00:00Z']);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2040-06-01T00:00:00Z'));
    expect(schema.parse('2040-06-30T00:00:00Z')).toBe('2040-06-30T00:00:00Z');
    expect(messages(schema, '2040-07-02T00:00:00Z')).toHaveLength(1);
  });

  it('BOOKING_HORIZON_DAYS is two years by default and must be a positive whole number', () => {
    expect(loadConfig({}).BOOKING_HORIZON_DAYS).toBe(730);
    expect(loadConfig({ BOOKING_HORIZON_DAYS: '30' }).BOOKING_HORIZON_DAYS).toBe(30);
    expect(() => loadConfig({ BOOKING_HORIZON_DAYS: '0' })).toThrow(/BOOKING_HORIZON_DAYS/);
    expect(() => loadConfig({ BOOKING_HORIZON_DAYS: '1.5' })).toThrow(/BOOKING_HORIZON_DAYS/);
  });

  it('an empty PATCH body is one issue on the whole object, which validationError names `body`', () => {
    const schema = changes({ name: text().optional(), phone: text().nullable().optional() });
    const result = schema.safeParse({});
    expect(result.success).toBe(false);
    expect(validationError(result.error!, 'body').details).toEqual([{ field: 'body', message: 'at least one of name, phone' }]);
    expect(schema.parse({ phone: null })).toEqual({ phone: null });
    const unknown = schema.safeParse({ nickname: 'x' });
    // An unknown key alone is both: a field no PATCH knows, and no change at all.
    expect(
      (validationError(unknown.error!, 'body').details as { field: string }[]).map((detail: { field: string }) => detail.field),
    ).toEqual(['nickname', 'body']);
  });
});
