export interface ArrivalStats {
  sent: number;
  /** The worst delay between when an arrival was due and when it was sent (the bench's own timer lag). */
  maxLagMs: number;
}

/**
 * An open model: `fire` is called at a constant rate for the duration, on a
 * timer, whatever happens to the work it starts (never awaited here). If the
 * timer falls behind, the overdue arrivals are sent at once, and each still
 * carries the time it was due, so latency is measured from when it should
 * have been sent (no coordinated omission).
 */
export function openArrivals(
  ratePerSecond: number,
  durationMs: number,
  fire: (index: number, dueAt: number) => void,
): Promise<ArrivalStats> {
  const total = Math.floor((ratePerSecond * durationMs) / 1000);
  const intervalMs = 1000 / ratePerSecond;
  const start = performance.now();
  let next = 0;
  let maxLagMs = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) {
        const dueAt = start + next * intervalMs;
        maxLagMs = Math.max(maxLagMs, now - dueAt);
        fire(next++, dueAt);
      }
      if (next < total) setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now()));
      else setTimeout(() => resolve({ sent: total, maxLagMs: Math.round(maxLagMs) }), Math.max(0, start + durationMs - performance.now()));
    };
    tick();
  });
}
