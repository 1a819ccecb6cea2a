import { describe, expect, it } from 'vitest';
import { awaitConsistency } from '../../libraries/http/consistency';
import { ApiError } from '../../libraries/http/errors';

const token = { id: '0b6f4c1e-8a43-4d3e-9e38-3f1f1d7e6a10', version: 3 };
const refusal = (promise: Promise<void>) =>
  promise.then(
    () => undefined,
    (error: ApiError) => error,
  );

describe('awaitConsistency', () => {
  it('answers at once when the instance shows the version, and asks nothing of the write model', async () => {
    let asked = false;
    await awaitConsistency(
      token,
      async () => true,
      1000,
      5,
      async () => ((asked = true), false),
    );
    expect(asked).toBe(false);
  });

  it('waits, then 503 with Retry-After when the write model has the version (another instance may show it)', async () => {
    const started = Date.now();
    const error = await refusal(
      awaitConsistency(
        token,
        async () => false,
        60,
        5,
        async () => true,
      ),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', headers: { 'Retry-After': '1' } });
  });

  it('400 naming the header when the write model never had it: retrying could not help', async () => {
    const error = await refusal(
      awaitConsistency(
        token,
        async () => false,
        20,
        5,
        async () => false,
      ),
    );
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details: [{ field: 'Consistency-Token' }] });
  });
});
