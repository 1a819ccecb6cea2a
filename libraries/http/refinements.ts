import { z } from '@hono/zod-openapi';

/**
 * What every request schema refuses because the stores behind it cannot hold
 * it: one place, so that a 400 naming the field comes back at the door instead
 * of a 500 (or a saga failing) once the value reaches PostgreSQL. Every
 * service's api.ts builds its strings, dates and instants from here.
 */

export const controlCharactersMessage = 'must not contain control characters';

// The C0 set (U+0000–U+001F) and DEL. PostgreSQL refuses NUL in text outright;
// the others are never part of a name, an email or a phone number and only
// corrupt logs and exports.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const noControlCharacters = /^[^\u0000-\u001f\u007f]*$/;
// Free text (a reason, clinical notes) may hold tabs and line breaks, nothing else.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const noControlCharactersButLineBreaks = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

/**
 * A string without control characters; `multiline` lets free text keep \t, \n
 * and \r. The check runs on the raw input, before any .trim() chained after it.
 */
export function text(options: { multiline?: boolean } = {}) {
  return z.string().regex(options.multiline ? noControlCharactersButLineBreaks : noControlCharacters, controlCharactersMessage);
}

/** An email address, held to the same rule as every other single-line text. */
export function email() {
  return z.email().regex(noControlCharacters, controlCharactersMessage);
}

export const earliestBirthDate = '1900-01-01';
// Today where the calendar is furthest ahead (UTC+14): a baby born today there is not "in the future".
const latestToday = () => new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10);

/**
 * An ISO date (YYYY-MM-DD) from 1900-01-01 to today, today taken when the
 * request is validated. Year 0000, which PostgreSQL's date has no room for,
 * falls below the floor. ISO dates compare as strings.
 */
export function birthDate() {
  // abort: a malformed date gets one message, not also the range's.
  return z.iso
    .date({ abort: true })
    .refine((value) => value >= earliestBirthDate, { message: `must not be before ${earliestBirthDate}` })
    .refine((value) => value <= latestToday(), { message: 'must not be in the future' });
}

/**
 * The span any request instant must fall in. PostgreSQL's timestamptz reaches
 * 294276 AD, but ISO strings, JavaScript's Date and node-postgres go wrong past
 * four-digit years and at year 0000: a year-9999 start plus its duration is
 * already year 10000 by the time its end is stored. The ceiling keeps a year of
 * room for whatever is added to an accepted instant (a consultation lasts hours).
 * The floor is a sanity bound, not a storage one: anything before 2000 is a typo,
 * while a booking in the recent past still passes and is refused by the domain
 * (physicians answers SLOT_IN_PAST), as it always was.
 */
export const instantBounds = { earliest: '2000-01-01T00:00:00Z', latest: '9999-01-01T00:00:00Z' } as const;
const earliestMs = Date.parse(instantBounds.earliest);
const latestMs = Date.parse(instantBounds.latest);

/** An ISO datetime with its offset (Z or ±hh:mm), inside instantBounds. Use it for every datetime a request carries. */
export function instant() {
  return (
    z.iso
      // abort: a malformed or out-of-bounds instant gets one message, not also the checks after it.
      .datetime({ offset: true, abort: true })
      .refine((value) => Date.parse(value) >= earliestMs, { message: `must not be before ${instantBounds.earliest}`, abort: true })
      .refine((value) => Date.parse(value) < latestMs, { message: `must be before ${instantBounds.latest}`, abort: true })
  );
}

const dayMs = 86_400_000;

/**
 * The start of a booking: an instant no later than now plus the booking
 * horizon (BOOKING_HORIZON_DAYS), now taken when the request is validated.
 * The horizon is a parameter, not read from config here: api.ts builds the
 * route with the value the instance was configured with.
 */
export function bookingStart(horizonDays: number) {
  return instant().refine((value) => Date.parse(value) <= Date.now() + horizonDays * dayMs, {
    message: `must be at most ${horizonDays} days ahead (the booking horizon)`,
  });
}

/**
 * A PATCH body: the given optional fields, nothing else, and at least one of
 * them. The refine sits on the whole object, so its issue has an empty path and
 * validationError names it `body`.
 */
export function changes<Shape extends z.ZodRawShape>(shape: Shape) {
  return z
    .object(shape)
    .strict()
    .refine((body) => Object.keys(body).length > 0, { message: `at least one of ${Object.keys(shape).join(', ')}`, path: [] });
}
