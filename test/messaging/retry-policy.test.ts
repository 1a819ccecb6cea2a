import { describe, expect, it } from 'vitest';
import { nextRetry, retryPolicyFrom } from '../../libraries/messaging/retry-policy';

describe('retry policy', () => {
  const policy = { delaysMs: [1000, 5000, 30000], retryForMs: 3_600_000 };
  const start = new Date('2030-01-01T00:00:00Z');
  const after = (ms: number) => new Date(start.getTime() + ms);

  it('grows the delay to its cap and repeats the cap', () => {
    expect([0, 1, 2, 3, 50].map((n) => nextRetry(policy, n, start, after(1000)))).toEqual([
      { retry: true, delayMs: 1000 },
      { retry: true, delayMs: 5000 },
      { retry: true, delayMs: 30000 },
      { retry: true, delayMs: 30000 },
      { retry: true, delayMs: 30000 },
    ]);
  });

  it('gives up only once the window since the first failure has passed', () => {
    expect(nextRetry(policy, 500, start, after(3_599_999)).retry).toBe(true);
    expect(nextRetry(policy, 500, start, after(3_600_000))).toEqual({
      retry: false,
      why: 'retries-exhausted after 500 retries over 3600 s',
    });
  });

  it('honours an optional count cap as well', () => {
    expect(nextRetry({ ...policy, maxRetries: 2 }, 2, start, after(10))).toEqual({
      retry: false,
      why: 'retries-exhausted after 2 retries',
    });
  });

  it('reads the window from the configuration in hours', () => {
    expect(retryPolicyFrom({ AMQP_RETRY_DELAYS_MS: [1000], AMQP_RETRY_FOR_HOURS: 72 })).toEqual({
      delaysMs: [1000],
      retryForMs: 72 * 3_600_000,
      maxRetries: undefined,
    });
  });
});
