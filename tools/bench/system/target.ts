import type { Config } from '../../../libraries/config/env';
import { defaultPort, processPorts } from '../../../libraries/config/services';
import { launchIsolated, type IsolatedLaunchOptions } from '../../harness/isolated-launch';
import type { MonitoredProcess } from '../resources/monitor';
import { pidListeningOn } from '../resources/pids';
import { pidsByCommand } from '../resources/proc';

/** What the bench drives and watches. */
export interface BenchTarget {
  gatewayUrl: string;
  schedulingUrls: string[];
  temporalAddress: string;
  namespace: string;
  /** The vhost whose queue depths are reported at the end. */
  vhost: string;
  monitored: MonitoredProcess[];
  /** start-dev arguments of the bench's own Temporal server (none when attached). */
  temporalFlags: string[];
}

const single = (name: string, pid: () => number | undefined): MonitoredProcess => ({
  name,
  pids: async () => {
    const value = pid();
    return value === undefined ? [] : [value];
  },
});

/** Processes shared with whatever else runs on the machine, counted whole. */
const sharedServers: MonitoredProcess[] = [
  { name: 'rabbitmq (beam.smp)', pids: () => pidsByCommand(['beam.smp']) },
  { name: 'postgres (all backends)', pids: () => pidsByCommand(['postgres']) },
];

/** HAP launched for the bench alone (tools/harness/isolated-launch.ts), with every process it started watched. */
export async function launchTarget(
  options: Omit<IsolatedLaunchOptions, 'kind' | 'echo' | 'processEnv'> & { vhost: string; instances: number },
): Promise<BenchTarget> {
  const { system, temporal, config } = await launchIsolated({ ...options, kind: 'hapbench' });
  return {
    gatewayUrl: system.process('gateway').spec.url,
    schedulingUrls: system.processes.filter(({ spec }) => spec.name.startsWith('scheduling-')).map(({ spec }) => spec.url),
    temporalAddress: temporal.address,
    namespace: config.TEMPORAL_NAMESPACE,
    vhost: options.vhost,
    monitored: [
      ...system.processes.map((managed) => single(managed.spec.name, () => managed.pid)),
      single('temporal dev server', () => temporal.server.pid),
      single('bench (driver)', () => process.pid),
      ...sharedServers,
    ],
    temporalFlags: temporal.args,
  };
}

/** A HAP that runs already (npm start): its gateway, its scheduling instances, its processes found by port. */
export async function attachTarget(options: { gatewayUrl: string; schedulingUrls: string[]; config: Config }): Promise<BenchTarget> {
  const { config } = options;
  const portOf = (url: string) => Number(new URL(url).port);
  const byPort: [string, number][] = [
    ['gateway', portOf(options.gatewayUrl)],
    ...(['patients', 'physicians', 'records'] as const).flatMap((family) =>
      [1, 2].map((n): [string, number] => [`${family}-${n}`, defaultPort(family, n)]),
    ),
    ...options.schedulingUrls.map((url, i): [string, number] => [`scheduling-${i + 1}`, portOf(url)]),
    ['worker', processPorts.worker],
    ['bridge', processPorts.bridge],
    ['temporal dev server', Number(config.TEMPORAL_ADDRESS.split(':').at(-1))],
  ];
  const monitored: MonitoredProcess[] = [];
  for (const [name, port] of byPort) {
    const pid = await pidListeningOn(port);
    if (pid !== undefined) monitored.push(single(name, () => pid));
  }
  monitored.push(
    single('bench (driver)', () => process.pid),
    ...sharedServers,
  );
  return {
    gatewayUrl: options.gatewayUrl,
    schedulingUrls: options.schedulingUrls,
    temporalAddress: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    vhost: decodeURIComponent(new URL(config.AMQP_URL).pathname.slice(1)) || '/',
    monitored,
    temporalFlags: [],
  };
}
