import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { ApiError, toApiError } from '../../http/errors';

describe('toApiError', () => {
  const status = (error: unknown) => toApiError(error).status;

  it('says 503 for a dependency that is down, also when the cause is wrapped', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(status(refused)).toBe(503);
    expect(status(new Error('Failed query: select …', { cause: refused }))).toBe(503); // DrizzleQueryError
    const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    expect(status(new ServiceError('Failed to start Workflow', { cause: grpc }))).toBe(503);
  });

  it('keeps API errors as they are and hides everything else behind a 500 without details', () => {
    expect(toApiError(ApiError.conflict('no'))).toMatchObject({ status: 409, code: 'CONFLICT' });
    const hidden = toApiError(new TypeError('x is undefined'));
    expect(hidden).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', message: 'internal error' });
  });
});
