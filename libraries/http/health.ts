import { Hono } from 'hono';
import { withTimeout } from '../common/with-timeout';

/** A named dependency probe for /ready: resolves when the dependency works. */
export type ReadinessCheck = { name: string; check: () => Promise<void> };

export interface HealthOptions {
  service: string;
  instance: string;
  checks: ReadinessCheck[];
  /** Longest a single check may take before it counts as failing. */
  timeoutMs?: number;
  /** More that /ready tells, beside the checks (an instance's read-model lag); left out when it cannot be read. */
  details?: () => Promise<Record<string, unknown>>;
}

/** GET /health (the process lives) and GET /ready (its database, broker and Temporal connections work). */
export function healthRoutes(options: HealthOptions) {
  const timeoutMs = options.timeoutMs ?? 2000;
  return new Hono()
    .get('/health', (c) => c.json({ status: 'ok', service: options.service, instance: options.instance }))
    .get('/ready', async (c) => {
      const results = await Promise.all(
        options.checks.map(async ({ name, check }) => {
          try {
            await withTimeout(check(), timeoutMs);
            return { name, ok: true as const };
          } catch (error) {
            return { name, ok: false as const, error: (error as Error).message };
          }
        }),
      );
      const checks = Object.fromEntries(results.map((result) => [result.name, result.ok ? 'ok' : `failing: ${result.error}`]));
      const ready = results.every((result) => result.ok);
      const details = options.details ? await withTimeout(options.details(), timeoutMs).catch(() => ({})) : {};
      const body = { status: ready ? 'ready' : 'unavailable', service: options.service, instance: options.instance, checks, ...details };
      return c.json(body, ready ? 200 : 503);
    });
}
