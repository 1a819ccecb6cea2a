/**
 * A physician's schedule: when they see patients, in their own IANA time
 * zone. Every rule is wall-clock time in that zone, so 09:00 stays 09:00
 * across a daylight-saving change.
 */

export const weekdays = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof weekdays)[number];

/** Wall-clock times `HH:mm`; an end of `00:00` means the midnight that ends the day. */
export interface Window {
  start: string;
  end: string;
}

export interface Schedule {
  /** IANA zone, e.g. Europe/Lisbon. */
  timeZone: string;
  /** Weekly working hours: each rule gives a window on each of its days; a day may have several. */
  weekly: (Window & { days: Weekday[] })[];
  /** Dates (`YYYY-MM-DD`, local) whose hours replace the weekly ones; no windows means closed. */
  overrides: { date: string; windows: Window[] }[];
  /** Local date-times (`YYYY-MM-DDTHH:mm`) from start (included) to end (excluded) with no consultation. */
  timeOff: { start: string; end: string }[];
  /** Time kept free before and after each consultation. */
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** How far ahead of now a consultation must start. */
  minimumNoticeMinutes: number;
  /** How far ahead a consultation may start (at most the system's BOOKING_HORIZON_DAYS). */
  planningHorizonDays: number;
  /** The consultation lengths this physician offers. */
  durationsMinutes: number[];
  /** The step between offered start times, from the start of each window. */
  slotIntervalMinutes: number;
}

/**
 * The schedule of a physician who has not set one: Monday to Friday,
 * 09:00–17:00 in the clinic's zone, 15-minute steps, the lengths a booking
 * could always ask for.
 */
export function defaultSchedule(clinicTimeZone: string, bookingHorizonDays: number): Schedule {
  return {
    timeZone: clinicTimeZone,
    weekly: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '09:00', end: '17:00' }],
    overrides: [],
    timeOff: [],
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    planningHorizonDays: bookingHorizonDays,
    durationsMinutes: [15, 20, 30, 45, 60, 90, 120],
    slotIntervalMinutes: 15,
  };
}
