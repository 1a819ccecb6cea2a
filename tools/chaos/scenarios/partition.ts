import type { Scenario } from '../scenario';
import type { StallingProxy } from '../stalling-proxy';

/** The network between one service instance and the broker stops carrying anything for a while, then heals. */
export const partition = (instance: string, proxy: () => StallingProxy | undefined): Scenario => ({
  name: `partition-${instance}`,
  summary: `network partition between ${instance} and the broker (a proxy that stops forwarding)`,
  contained: true,
  unavailable: async () => (proxy() ? undefined : `${instance} does not reach the broker through the run's proxy (attached run)`),
  inject: async ({ timing, log }) => {
    const through = proxy()!;
    // Long enough for the heartbeats (5 s, two missed ones) to notice it at both ends.
    const cutMs = Math.max(2 * timing.outageMs, 20_000);
    log(`cutting ${instance} off the broker for ${cutMs / 1000} s`);
    through.stall();
    await new Promise((resolve) => setTimeout(resolve, cutMs));
    through.heal();
  },
});
