/**
 * `Prefer: wait=<seconds>` (RFC 7240 §4.3): how long the client would hold
 * the request for its outcome, cut to the server's maximum. Other
 * preferences are ignored, as the RFC allows; an unreadable wait is none.
 */
export function preferredWaitSeconds(prefer: string | undefined, maxSeconds: number): number | undefined {
  if (!prefer) return undefined;
  for (const preference of prefer.split(',')) {
    const [name, value] = preference
      .split(';')[0]!
      .split('=')
      .map((part) => part.trim().replace(/^"|"$/g, ''));
    if (name?.toLowerCase() !== 'wait' || !value || !/^\d+$/.test(value)) continue;
    return Math.min(Number(value), maxSeconds);
  }
  return undefined;
}

export const preferenceAppliedHeader = 'Preference-Applied';

/** The request header in a route's OpenAPI `parameters` (read with preferredWaitSeconds, so typed clients need not pass it). */
export const preferWaitParameter = {
  name: 'Prefer',
  in: 'header',
  required: false,
  description: "`wait=<seconds>` (RFC 7240): answer with the saga's outcome if it comes within that long (at most PREFER_WAIT_MAX_SECONDS)",
  schema: { type: 'string', example: 'wait=10' },
} as const;
