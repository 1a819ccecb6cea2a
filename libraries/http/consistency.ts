import type { Context } from 'hono';
import { ApiError } from './errors';

/**
 * Read-your-writes across instances: a command's answer names the version of
 * what it changed in `Consistency-Token` (`<id>@<version>`); a request that
 * sends it back is answered only once this instance shows that version. The
 * instance waits a moment for it, then answers 503 with Retry-After, which
 * the gateway takes as "ask another instance", never 404 for what exists;
 * or 400 when the service's write model shows the token can never be met.
 */
export const consistencyHeader = 'Consistency-Token';

export interface ConsistencyToken {
  id: string;
  version: number;
}

const tokenPattern = /^([0-9a-fA-F-]{36})@(\d{1,9})$/;

/**
 * The request header in a route's OpenAPI `parameters`; read with
 * consistencyTokenOf, not validated by the route, so that typed clients need
 * not pass it.
 */
export const consistencyTokenParameter = {
  name: consistencyHeader,
  in: 'header',
  required: false,
  description:
    "a command's Consistency-Token (`<id>@<version>`): answered only once this instance shows that version, else 503; 400 for one this service never wrote",
  schema: { type: 'string', pattern: '^[0-9a-fA-F-]{36}@\\d{1,9}$', example: '0b6f4c1e-8a43-4d3e-9e38-3f1f1d7e6a10@3' },
} as const;

export const formatConsistencyToken = ({ id, version }: ConsistencyToken) => `${id}@${version}`;

/** The token a request carries; a malformed one is a 400 that names the header. */
export function consistencyTokenOf(value: string | undefined): ConsistencyToken | undefined {
  if (value === undefined || value === '') return undefined;
  const match = tokenPattern.exec(value.trim());
  if (!match) {
    const message = 'expected <id>@<version>, as a command answered it';
    throw new ApiError(400, 'VALIDATION_FAILED', `invalid ${consistencyHeader}: ${message}`, [{ field: consistencyHeader, message }]);
  }
  return { id: match[1]!.toLowerCase(), version: Number(match[2]) };
}

/** What a service's write model says of a token it has not shown in time: it will show it, or it never can (another resource's, an unknown id, a version not written). */
export type Reachable = (token: ConsistencyToken) => Promise<boolean>;

/**
 * Resolves once `caughtUp` says yes, checking every pollMs for up to waitMs;
 * then a 400 naming the header when `reachable` says the token can never be
 * met (a client's mistake: retrying cannot help), else a 503 with
 * Retry-After. `caughtUp` reads this instance's own tables, `reachable` the
 * service's write model.
 */
export async function awaitConsistency(
  token: ConsistencyToken | undefined,
  caughtUp: (token: ConsistencyToken) => Promise<boolean>,
  waitMs: number,
  pollMs = 25,
  reachable?: Reachable,
): Promise<void> {
  if (!token) return;
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await caughtUp(token)) return;
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  if (reachable && !(await reachable(token))) {
    const message = `names ${formatConsistencyToken(token)}, which this service has never written: send the token its own command answered`;
    throw new ApiError(400, 'VALIDATION_FAILED', `invalid ${consistencyHeader}: ${message}`, [{ field: consistencyHeader, message }]);
  }
  throw new ApiError(
    503,
    'SERVICE_UNAVAILABLE',
    `this instance has not yet seen ${formatConsistencyToken(token)}; another instance may have, or retry shortly`,
    undefined,
    { 'Retry-After': '1' },
  );
}

/** A route's wait for the token its request carries, if any: the header read, then awaitConsistency with this check. */
export const readYourWrites =
  (caughtUp: (token: ConsistencyToken) => Promise<boolean>, waitMs: number, reachable?: Reachable) =>
  (c: Context): Promise<void> =>
    awaitConsistency(consistencyTokenOf(c.req.header(consistencyHeader)), caughtUp, waitMs, 25, reachable);

/** Whether the version an instance shows (undefined: none) has reached the token's. */
export const reaches = (version: number | undefined, token: ConsistencyToken) => version !== undefined && version >= token.version;
