import type { Scenario } from '../scenario';

/** The run's Temporal dev server SIGKILLed and started again on the same port and SQLite file. */
export const temporalRestart: Scenario = {
  name: 'temporal-restart',
  summary: 'Temporal dev server SIGKILLed and restarted on its state file',
  contained: true,
  inject: async ({ system, timing, log }) => {
    log(`SIGKILL the Temporal dev server; restarting it on its file in ${timing.outageMs / 1000} s`);
    await system.temporal.kill();
    await new Promise((resolve) => setTimeout(resolve, timing.outageMs));
    await system.temporal.restart();
  },
};
