/**
 * When a physician can see a patient: their schedule in their own time zone,
 * the one rule that says whether a time can be booked (`refusal`), and the
 * free start times it leaves (`freeStarts`). Pure: the caller brings the
 * schedule, the consultations that hold time and the clock.
 */
export { defaultSchedule, weekdays, type Schedule, type Weekday, type Window } from './schedule';
export { isKnownTimeZone } from './local-time';
export {
  availabilityContext,
  availabilityRefusals,
  bufferedRange,
  refusal,
  refusalOn,
  type AvailabilityContext,
  type AvailabilityRefusal,
  type BusyTime,
} from './rules';
export { freeStarts, type Offer, type OffersByDate } from './offers';
export { scheduleSchema } from './schedule-schema';
