import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { DataFailureType } from '../activities/failures';

/**
 * The failure of a step that no retry can fix because the data is wrong
 * (activities/failures.ts makes them), or undefined for any other error.
 * A local activity's failure reaches the workflow bare (core wraps only its
 * timeouts and cancellations in an ActivityFailure); a remote one's, wrapped.
 * Only the type is checked: a failure that reaches the workflow is final,
 * and histories recorded before the activities marked them non-retryable
 * must still be read the same way.
 */
export function dataFailure(error: unknown, types: readonly DataFailureType[]): ApplicationFailure | undefined {
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure && types.includes(failure.type as DataFailureType) ? failure : undefined;
}
