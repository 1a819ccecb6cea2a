import { ApplicationFailure } from '@temporalio/common';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { failFastOnBadData, toDataFailure } from '../../activities/failures';
import { EventValidationError } from '../../libraries/events/errors';
import { InvalidTransitionError } from '../../services/scheduling/consultations';

/** A pg error as drizzle throws it: the failed query and its parameters (health data) in the message. */
function queryError(code: string, detail = 'value "+010000-01-01T03:50:00.000Z" of Ana Lima') {
  const cause = Object.assign(new pg.DatabaseError(`time zone displacement out of range: ${detail}`, 0, 'error'), { code });
  return new DrizzleQueryError('insert into "consultations" ...', ['Ana Lima', 'chest pain'], cause);
}

const expectClean = (failure: ApplicationFailure | undefined) => {
  const text = JSON.stringify({ message: failure?.message, details: failure?.details, cause: failure?.cause?.message });
  for (const secret of ['Ana Lima', 'chest pain', '010000', 'insert into']) expect(text).not.toContain(secret);
};

describe('activity failure classification', () => {
  it.each(['22009', '22007', '22003', '23502', '23505', '23514', '23P01'])(
    'makes SQLSTATE %s (in drizzle’s cause) a non-retryable InvalidRequest',
    (code) => {
      const failure = toDataFailure('openConsultation', queryError(code));
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({
        type: 'InvalidRequest',
        nonRetryable: true,
        details: [{ activity: 'openConsultation', sqlState: code, errorClass: 'DatabaseError' }],
      });
      expect(failure?.message).toBe(`openConsultation: invalid data (SQLSTATE ${code}, DatabaseError)`);
      expect(failure?.cause).toBeUndefined();
      expectClean(failure);
    },
  );

  it.each([
    ['a zod violation', () => z.object({ durationMinutes: z.number().min(10) }).parse({ durationMinutes: 5 }), 'ZodError'],
    [
      'an event that breaks the catalog',
      () => {
        throw new EventValidationError('invalid-payload', 'payload of Ana Lima is invalid');
      },
      'EventValidationError',
    ],
    ['an impossible date', () => new Date('Ana Lima').toISOString(), 'RangeError'],
  ])('makes %s a non-retryable InvalidRequest', (_case, fail, errorClass) => {
    let thrown: unknown;
    try {
      fail();
    } catch (error) {
      thrown = error;
    }
    const failure = toDataFailure('publishSagaEvent', thrown);
    expect(failure).toMatchObject({
      type: 'InvalidRequest',
      nonRetryable: true,
      message: `publishSagaEvent: invalid data (${errorClass})`,
    });
    expectClean(failure);
  });

  it('keeps InvalidTransitionError its type (the cancel saga tells a refusal by it), non-retryable', () => {
    const failure = toDataFailure('moveConsultation', new InvalidTransitionError(crypto.randomUUID(), 'PENDING', 'CANCELLED'));
    expect(failure).toMatchObject({
      type: 'InvalidTransitionError',
      nonRetryable: true,
      message: 'moveConsultation: consultation cannot go from PENDING to CANCELLED',
    });
  });

  it.each([
    ['a lost connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a broken pipe', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })],
    ['a PostgreSQL shutdown (57P01)', queryError('57P01')],
    ['a serialization failure (40001)', queryError('40001')],
    ['a connection failure (08006)', queryError('08006')],
    ['an unconfirmed publish', new Error('publish not confirmed within 5000 ms')],
    ['something that is not an Error', 'boom'],
  ])('leaves %s to the retry policy', (_case, error) => {
    expect(toDataFailure('openConsultation', error)).toBeUndefined();
  });

  it('leaves an ApplicationFailure an activity made itself as it is', () => {
    expect(toDataFailure('openConsultation', ApplicationFailure.retryable('later'))).toBeUndefined();
  });

  it('wraps every activity: data errors become the failure, others stay retryable with a message free of values', async () => {
    const transient = new Error('socket hang up');
    const wrapped = failFastOnBadData({
      ok: async (n: number) => n + 1,
      bad: async () => Promise.reject(queryError('22009')),
      flaky: async () => Promise.reject(transient),
    });
    expect(await wrapped.ok(1)).toBe(2);
    await expect(wrapped.bad()).rejects.toMatchObject({
      type: 'InvalidRequest',
      nonRetryable: true,
      message: 'bad: invalid data (SQLSTATE 22009, DatabaseError)',
    });
    await expect(wrapped.flaky()).rejects.toMatchObject({ name: 'Error', message: 'Error: socket hang up' });
    const leaky = failFastOnBadData({
      lost: async () => Promise.reject(new Error('Failed query: select $1\nparams: Ana Lima', { cause: transient })),
    });
    await expect(leaky.lost()).rejects.toSatisfy(
      (error: Error) => !error.message.includes('Ana') && !(error instanceof ApplicationFailure),
    );
  });
});
