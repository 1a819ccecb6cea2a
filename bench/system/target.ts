import { randomUUID } from 'node:crypto';
import type { Config } from '../../config/env';
import { defaultPort, processPorts, serviceNames } from '../../config/services';
import { launchSystem } from '../../launcher/launch';
import type { PlanOptions } from '../../launcher/plan';
import { getFreePort } from '../../toolchain/dev-server';
import type { Cleanup } from '../cleanup';
import type { MonitoredProcess } from '../resources/monitor';
import { pidListeningOn } from '../resources/pids';
import { pidsByCommand } from '../resources/proc';
import { startBenchTemporal, type BenchTemporalOptions } from './temporal';

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

/**
 * HAP as `npm start` runs it, on free ports, in the bench's vhost, databases
 * and task queue, against a throw-away Temporal dev server; everything it
 * starts is registered with the cleanup.
 */
export async function launchTarget(options: {
  config: Config;
  vhost: string;
  temporal: Omit<BenchTemporalOptions, 'log'>;
  logDir: string;
  cleanup: Cleanup;
  log: (line: string) => void;
}): Promise<BenchTarget> {
  const { log, cleanup } = options;
  log('starting a throw-away Temporal dev server');
  const temporal = await startBenchTemporal({ ...options.temporal, log: () => {} });
  cleanup.defer('stop the Temporal dev server', () => temporal.stop());
  const config: Config = { ...options.config, TEMPORAL_ADDRESS: temporal.server.address };

  const ports = new Map<string, number>();
  for (const family of ['gateway', ...serviceNames]) for (const n of [1, 2]) ports.set(`${family}-${n}`, await getFreePort());
  const plan: PlanOptions = {
    instances: 2,
    port: (family, n) => ports.get(`${family}-${n}`)!,
    bridgePort: await getFreePort(),
    workerPort: await getFreePort(),
  };
  // Broker and database passwords for this run only: its users go with its vhost, its roles with its databases.
  const passwords = new Map<string, string>();
  const password = async (user: string) => passwords.get(user) ?? passwords.set(user, randomUUID()).get(user)!;
  const system = await launchSystem({
    config,
    plan,
    logDir: options.logDir,
    startTemporal: false,
    brokerPasswords: password,
    databasePasswords: password,
    progress: (line) => log(`  ${line}`),
  });
  cleanup.defer('stop the HAP processes', () => system.stop());

  return {
    gatewayUrl: system.process('gateway').spec.url,
    schedulingUrls: [system.process('scheduling-1').spec.url, system.process('scheduling-2').spec.url],
    temporalAddress: temporal.server.address,
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
