import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import { isSqlState } from '../libraries/db/errors';
import { isPermanentError } from '../libraries/events/errors';
import { causes } from '../libraries/common/causes';
import { safeErrorText } from '../libraries/observability/logging/error-text';
import { InvalidTransitionError } from '../services/scheduling';

/**
 * Failures a retry cannot fix because the data itself is wrong. Workflows
 * import this type only, to name the failure types they catch.
 */
export type DataFailureType = 'InvalidRequest' | 'InvalidTransitionError';

/** What the failure carries to the workflow: no values, no messages of the original error (they can hold health data). */
export interface DataFailureDetails {
  activity: string;
  errorClass: string;
  sqlState?: string;
}

/** SQLSTATE classes of the data, not the database: 22 data exception, 23 integrity constraint violation. */
const dataSqlStateClasses = ['22', '23'];

const className = (error: unknown) => (error instanceof Error ? error.constructor.name : typeof error);

function dataFault(error: unknown): { errorClass: string; sqlState?: string } | undefined {
  for (const link of causes(error)) {
    const code = (link as { code?: unknown }).code;
    // pg's DatabaseError carries the SQLSTATE as `code`; drizzle wraps it in `cause`.
    if (isSqlState(code) && dataSqlStateClasses.includes(code.slice(0, 2))) return { errorClass: className(link), sqlState: code };
    if (link instanceof ZodError || isPermanentError(link)) return { errorClass: className(link) };
    // An impossible date or number (new Date('…').toISOString()): the same input fails every time.
    if (link instanceof RangeError) return { errorClass: className(link) };
  }
  return undefined;
}

/**
 * The non-retryable failure an activity error stands for, or undefined when
 * it may pass (a connection lost, a broker away): those keep their retries.
 * Outcomes a step expects (a unique violation meaning "already done") are
 * handled inside it; whatever reaches here is a fault.
 */
export function toDataFailure(activity: string, error: unknown): ApplicationFailure | undefined {
  if (error instanceof ApplicationFailure) return undefined; // already decided by the activity
  if (error instanceof InvalidTransitionError) {
    // Same type as before: the cancel saga tells "not SCHEDULED any more" by it.
    const details: DataFailureDetails = { activity, errorClass: 'InvalidTransitionError' };
    return ApplicationFailure.create({
      type: 'InvalidTransitionError' satisfies DataFailureType,
      message: `${activity}: consultation cannot go from ${error.from} to ${error.to}`,
      nonRetryable: true,
      details: [details],
    });
  }
  const fault = dataFault(error);
  if (!fault) return undefined;
  const details: DataFailureDetails = { activity, ...fault };
  return ApplicationFailure.create({
    type: 'InvalidRequest' satisfies DataFailureType,
    message: `${activity}: invalid data (${fault.sqlState ? `SQLSTATE ${fault.sqlState}, ` : ''}${fault.errorClass})`,
    nonRetryable: true,
    details: [details],
  });
}

/**
 * Wraps every activity so that a data failure ends its retries at once. The
 * original error is not attached as cause: its message (drizzle's failed
 * query with its parameters, PostgreSQL's offending value) would be recorded
 * in the workflow history.
 */
export function failFastOnBadData<A extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: A): A {
  return Object.fromEntries(
    Object.entries(activities).map(([name, activity]) => [
      name,
      async (...args: never[]) => {
        try {
          return await activity(...args);
        } catch (error) {
          // A transient failure is retried as it is, but its message (recorded in the history and
          // logged by the worker) is cut down to what carries no health data.
          throw (
            toDataFailure(name, error) ??
            Object.assign(new Error(safeErrorText(error)), { name: error instanceof Error ? error.name : 'Error' })
          );
        }
      },
    ]),
  ) as A;
}
