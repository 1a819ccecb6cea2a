import type { Logger } from '../observability/logging/logger';

/** Work an instance does on a timer: pruning what outlived its retention, releasing expired holds. */
export interface PeriodicJob {
  name: string;
  intervalMs: number;
  run(): Promise<void>;
}

export interface RunningJobs {
  stop(): Promise<void>;
}

/**
 * Runs each job every `intervalMs` (the first time after a short random
 * delay, so instances that start together do not run in lockstep), never two
 * runs of one job at once. A failing run is logged and tried again next time:
 * a job whose database is away waits for it like everything else.
 */
export function startPeriodicJobs(jobs: PeriodicJob[], logger: Logger, random: () => number = Math.random): RunningJobs {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const schedule = (job: PeriodicJob, delayMs: number) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = job
        .run()
        .catch((error: unknown) => logger.warn('periodic job failed; it runs again later', { job: job.name, error }))
        .finally(() => {
          inFlight.delete(run);
          schedule(job, job.intervalMs);
        });
      inFlight.add(run);
    }, delayMs);
    timer.unref();
    timers.add(timer);
  };
  for (const job of jobs) schedule(job, Math.round(Math.min(job.intervalMs, 5_000) * random()));
  return {
    stop: async () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
