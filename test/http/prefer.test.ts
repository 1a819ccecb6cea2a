import { describe, expect, it } from 'vitest';
import { preferredWaitSeconds } from '../../libraries/http/prefer';

describe('Prefer: wait (RFC 7240)', () => {
  it('reads wait among other preferences, cut to the maximum, and ignores what it cannot read', () => {
    expect(preferredWaitSeconds(undefined, 30)).toBeUndefined();
    expect(preferredWaitSeconds('wait=10', 30)).toBe(10);
    expect(preferredWaitSeconds('respond-async, wait=5', 30)).toBe(5);
    expect(preferredWaitSeconds('Wait = "7"', 30)).toBe(7);
    expect(preferredWaitSeconds('wait=0', 30)).toBe(0);
    expect(preferredWaitSeconds('wait=600', 30)).toBe(30);
    expect(preferredWaitSeconds('wait=soon', 30)).toBeUndefined();
    expect(preferredWaitSeconds('wait=-1', 30)).toBeUndefined();
    expect(preferredWaitSeconds('return=minimal', 30)).toBeUndefined();
  });
});
