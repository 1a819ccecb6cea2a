import { randomUUID } from 'node:crypto';
import type { JsonHttpClient, JsonResponse, Method } from '../../harness/json-http';

/** What the client saw of one logical request, over all its attempts. */
export interface Outcome<T> {
  /** The last answer, or none when every attempt failed on the wire. */
  response: JsonResponse<T> | undefined;
  attempts: number;
  /** 5xx answers, timeouts and refused connections met on the way (each one a retry). */
  errors: number;
}

export interface RetryPolicy {
  /** How long one logical request keeps retrying before the client gives up. */
  giveUpAfterMs: number;
  /** The longest pause between attempts; pauses double from 200 ms up to it. */
  maxPauseMs: number;
}

/**
 * A client as a real front desk would write one: every POST carries an
 * Idempotency-Key, and a 5xx, a timeout or a lost connection is retried
 * with the same key (PATCH as it is: it sets values, so a repeat is
 * harmless) until it gets an answer below 500 or gives up.
 */
export class RetryingClient {
  constructor(
    private readonly http: JsonHttpClient,
    private readonly policy: RetryPolicy,
    private readonly onError: (error: string) => void = () => {},
  ) {}

  /** Every retry pause ends at once, and no new attempt starts, after this is aborted (the run is stopping). */
  private readonly stopping = new AbortController();

  stop(): void {
    this.stopping.abort();
  }

  async send<T>(method: Method, path: string, body?: unknown, key: string = randomUUID()): Promise<Outcome<T>> {
    const headers: Record<string, string> = method === 'POST' ? { 'idempotency-key': key } : {};
    const deadline = Date.now() + this.policy.giveUpAfterMs;
    let attempts = 0;
    let errors = 0;
    let response: JsonResponse<T> | undefined;
    for (let pause = 200; ; pause = Math.min(pause * 2, this.policy.maxPauseMs)) {
      attempts++;
      try {
        response = await this.http.request<T>(method, path, body, headers);
        if (response.status < 500) return { response, attempts, errors };
        this.onError(`${response.status}`);
      } catch (error) {
        response = undefined;
        this.onError(error instanceof Error ? (error.message.split(':').at(-1)?.trim() ?? 'error') : 'error');
      }
      errors++;
      if (Date.now() + pause > deadline || this.stopping.signal.aborted) return { response, attempts, errors };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        this.stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }
}
