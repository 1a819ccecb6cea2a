import type { Scenario } from '../scenario';

/** SIGKILL of one process while the load flows, restarted after the short outage, as its supervisor would. */
export const killProcess = (name: string, summary: string): Scenario => ({
  name: `kill-${name}`,
  summary,
  contained: true,
  inject: async ({ system, timing, log }) => {
    log(`SIGKILL ${name}; restarting it in ${timing.outageMs / 1000} s`);
    await system.killAndRestart(name, timing.outageMs);
  },
});

/** Each service instance in turn, then the saga worker (mid-activity: sagas are always in flight), the bridge and the gateway. */
export function processKills(instanceNames: readonly string[]): Scenario[] {
  return [
    ...instanceNames.map((name) => killProcess(name, `SIGKILL of service instance ${name}`)),
    killProcess('worker', 'SIGKILL of the saga worker with activities in flight'),
    killProcess('bridge', 'SIGKILL of the bridge that signals replies to the sagas'),
    killProcess('gateway', 'SIGKILL of the gateway every request goes through'),
  ];
}
