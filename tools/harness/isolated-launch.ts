import { randomUUID } from 'node:crypto';
import type { Config } from '../../libraries/config/env';
import { defaultInstances, serviceNames } from '../../libraries/config/services';
import { launchSystem, type LaunchedSystem, type LaunchOptions } from '../launcher/launch';
import type { PlanOptions } from '../launcher/plan';
import { getFreePort } from '../toolchain/free-port';
import type { Cleanup } from './cleanup';
import type { IsolationKind } from './isolation';
import { startRunTemporal, type RunTemporalOptions, type RunTemporal } from './temporal';

export interface IsolatedSystem {
  system: LaunchedSystem;
  temporal: RunTemporal;
  /** The configuration the processes got (TEMPORAL_ADDRESS their own server's). */
  config: Config;
  /** The password of each broker user and database role this launch made, for this run only. */
  passwords: ReadonlyMap<string, string>;
}

export interface IsolatedLaunchOptions {
  kind: IsolationKind;
  config: Config;
  temporal: Omit<RunTemporalOptions, 'log' | 'kind'>;
  logDir: string;
  cleanup: Cleanup;
  log: (line: string) => void;
  echo?: (line: string) => void;
  processEnv?: LaunchOptions['processEnv'];
  /** Instances of each service: as many as `npm start` runs, unless a run asks otherwise. */
  instances?: number;
}

/**
 * HAP as `npm start` runs it, with its instances of each service (or `instances`) on free ports,
 * in the run's vhost, databases and task queue (config), against a
 * throw-away Temporal dev server; everything it starts is registered with
 * the cleanup.
 */
export async function launchIsolated(options: IsolatedLaunchOptions): Promise<IsolatedSystem> {
  const { log, cleanup } = options;
  log('starting a throw-away Temporal dev server');
  const temporal = await startRunTemporal({ ...options.temporal, kind: options.kind, log: () => {} });
  cleanup.defer('stop the Temporal dev server', () => temporal.stop());
  const config: Config = { ...options.config, TEMPORAL_ADDRESS: temporal.address };

  const instances = options.instances ?? defaultInstances;
  // One gateway in front of every instance of each service.
  const ports = new Map<string, number>([['gateway-1', await getFreePort()]]);
  for (const service of serviceNames) for (let n = 1; n <= instances; n++) ports.set(`${service}-${n}`, await getFreePort());
  const plan: PlanOptions = {
    instances,
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
    echo: options.echo,
    processEnv: options.processEnv,
  });
  cleanup.defer('stop the HAP processes', () => system.stop());
  return { system, temporal, config, passwords };
}
