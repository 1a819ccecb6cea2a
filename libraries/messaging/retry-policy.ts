/**
 * How a consumer retries a recoverable failure: growing delays up to a cap,
 * for as long as the failure may still heal, then the DLQ. Only permanent
 * failures (bad input) are dead-lettered at once.
 */
export interface RetryPolicy {
  /** Delay before retry 1, 2, …; the last one repeats once the list runs out (the cap). */
  delaysMs: number[];
  /** How long after its first failure a message is still retried. */
  retryForMs: number;
  /** An optional cap on the count of retries too; undefined means time alone decides. */
  maxRetries?: number | undefined;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; why: string };

/** Whether to retry a message that has failed `retriesSoFar` times, the first time at `firstFailedAt`. */
export function nextRetry(policy: RetryPolicy, retriesSoFar: number, firstFailedAt: Date, now = new Date()): RetryDecision {
  if (policy.delaysMs.length === 0) return { retry: false, why: 'retries-disabled' };
  if (policy.maxRetries !== undefined && retriesSoFar >= policy.maxRetries) {
    return { retry: false, why: `retries-exhausted after ${retriesSoFar} retries` };
  }
  const failingForMs = now.getTime() - firstFailedAt.getTime();
  if (failingForMs >= policy.retryForMs) {
    return { retry: false, why: `retries-exhausted after ${retriesSoFar} retries over ${Math.round(failingForMs / 1000)} s` };
  }
  return { retry: true, delayMs: policy.delaysMs[Math.min(retriesSoFar, policy.delaysMs.length - 1)]! };
}

/** The policy a process's configuration asks for. */
export function retryPolicyFrom(config: {
  AMQP_RETRY_DELAYS_MS: number[];
  AMQP_RETRY_FOR_HOURS: number;
  AMQP_MAX_RETRIES?: number | undefined;
}): RetryPolicy {
  return {
    delaysMs: config.AMQP_RETRY_DELAYS_MS,
    retryForMs: config.AMQP_RETRY_FOR_HOURS * 3_600_000,
    maxRetries: config.AMQP_MAX_RETRIES,
  };
}
