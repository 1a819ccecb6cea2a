import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { ApiError, toApiError } from '../../libraries/http/errors';

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

  describe('503: nothing changed, or outcome unknown', () => {
    const coded = (message: string, code: string | number) => Object.assign(new Error(message), { code });
    const nothingChanged = 'a dependency is unavailable; nothing was changed, try again';
    const unknown = 'outcome unknown; retry with the same Idempotency-Key';

    it('says nothing changed when the failure proves nothing was sent', () => {
      for (const error of [
        coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
        new Error('timeout exceeded when trying to connect'),
        new Error('Connection terminated due to connection timeout'),
        coded('the database system is starting up', '57P03'),
        coded('sorry, too many clients already', '53300'),
        new Error('not connected to RabbitMQ'),
        new ServiceError('Failed to start Workflow', { cause: coded('14 UNAVAILABLE: No connection established', 14) }),
      ]) {
        expect(toApiError(error, 'POST'), error.message).toMatchObject({
          status: 503,
          code: 'SERVICE_UNAVAILABLE',
          message: nothingChanged,
        });
      }
    });

    it('says the outcome is unknown for a command when a commit or a start may have happened', () => {
      for (const error of [
        coded('read ECONNRESET', 'ECONNRESET'),
        new Error('Connection terminated unexpectedly'),
        coded('terminating connection due to administrator command', '57P01'),
        new ServiceError('Failed to start Workflow', { cause: coded('4 DEADLINE_EXCEEDED: Deadline exceeded', 4) }),
        new ServiceError('Failed to start Workflow', { cause: coded('14 UNAVAILABLE: Connection dropped', 14) }),
        new Error('Failed query: commit', { cause: coded('read ECONNRESET', 'ECONNRESET') }),
      ]) {
        expect(toApiError(error, 'POST'), error.message).toMatchObject({
          status: 503,
          code: 'SERVICE_UNAVAILABLE',
          message: unknown,
          details: { outcome: 'unknown' },
        });
        expect(toApiError(error), error.message).toMatchObject({ message: unknown });
        // A read changed nothing, whatever broke.
        expect(toApiError(error, 'GET'), error.message).toMatchObject({ status: 503, message: nothingChanged });
      }
    });

    it('lets an unknown outcome anywhere in the chain win over a refused connection', () => {
      const error = new Error('Connection terminated unexpectedly', { cause: coded('connect ECONNREFUSED', 'ECONNREFUSED') });
      expect(toApiError(error, 'POST').message).toBe(unknown);
    });
  });

  it('answers a value PostgreSQL refuses (SQLSTATE class 22) with a 400 naming no value', () => {
    const refused = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    const apiError = toApiError(new Error('Failed query: insert … params: Ana', { cause: refused }));
    expect(apiError).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(apiError.message).not.toMatch(/Ana|0x00/);
  });

  it('says the outcome is unknown when the connection broke during COMMIT', () => {
    const broken = new Error('Client has encountered a connection error and is not queryable');
    const lost = Object.assign(new Error('the database connection broke during COMMIT'), {
      code: 'HAP_COMMIT_OUTCOME_UNKNOWN',
      cause: broken,
    });
    expect(toApiError(lost, 'POST').details).toEqual({ outcome: 'unknown' });
  });
});
