import { rm } from 'node:fs/promises';
import type { Config } from '../../libraries/config/env';
import { serviceNames } from '../../libraries/config/services';
import { launchSystem, type LaunchedSystem } from '../../tools/launcher/launch';
import { getFreePort } from '../../tools/toolchain/free-port';
import { createSandbox } from './sandbox';
import type { TestVhost } from './vhost';

export interface TestLaunch {
  system: LaunchedSystem;
  config: Config;
  vhost: TestVhost;
  prefix: string;
  /** Stops every process and removes the vhost, the databases and the logs. */
  remove(): Promise<void>;
}

/**
 * The whole system as real processes, launched the way `npm start` launches
 * it (two instances of every service, worker, bridge, gateway) on free ports,
 * in a vhost, under a database prefix and on a task queue of its own, against
 * the suite's Temporal dev server.
 */
export async function launchTestSystem(label: string, overrides: Record<string, string> = {}): Promise<TestLaunch> {
  const sandbox = await createSandbox(label);
  const { vhost, prefix } = sandbox;
  const ports = new Map<string, number>();
  for (const family of ['gateway', ...serviceNames]) for (const n of [1, 2]) ports.set(`${family}-${n}`, await getFreePort());
  for (const name of ['bridge', 'worker']) ports.set(name, await getFreePort());
  const config = sandbox.sagaConfig(label, overrides);
  const logDir = `/tmp/${prefix}-logs`;
  const remove = async (system?: LaunchedSystem) => {
    await system?.stop();
    await sandbox.remove();
    await rm(logDir, { recursive: true, force: true });
  };
  try {
    const system = await launchSystem({
      config,
      plan: {
        instances: 2,
        port: (family, n) => ports.get(`${family}-${n}`)!,
        bridgePort: ports.get('bridge')!,
        workerPort: ports.get('worker')!,
      },
      logDir,
      startTemporal: false,
      // The sandbox's own passwords, so the test's publishers and the launched processes log in alike.
      brokerPasswords: async (user) => user,
      databasePasswords: async (role) => role,
    });
    return { system, config, vhost, prefix, remove: () => remove(system) };
  } catch (error) {
    await remove();
    throw error;
  }
}
