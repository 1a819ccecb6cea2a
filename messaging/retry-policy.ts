/** How a consumer retries a recoverable failure: growing delays, then the DLQ. */
export interface RetryPolicy {
  /** Delay before retry 1, 2, …; the last one repeats once the list runs out. */
  delaysMs: number[];
  /** Retries after the first try; the next failure dead-letters the message. */
  maxRetries: number;
}

/** The delay before the next try, or undefined when the message has had its tries. */
export function nextRetryDelay(policy: RetryPolicy, retriesSoFar: number): number | undefined {
  if (retriesSoFar >= policy.maxRetries || policy.delaysMs.length === 0) return undefined;
  return policy.delaysMs[Math.min(retriesSoFar, policy.delaysMs.length - 1)];
}
