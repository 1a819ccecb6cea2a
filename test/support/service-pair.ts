import type { Config } from '../../libraries/config/env';
import type { CatalogPublisher } from './broker-logins';
import type { QueueSpec } from '../../libraries/messaging/topology';
import type { RunningInstance, ServiceDefinition } from '../../libraries/runtime/service-instance';
import { startTestInstance } from './instances';
import { openProbes, type Probes } from './probes';
import type { QueueProbe } from './queue-probe';
import { rawClient, type RawClient } from './raw-client';
import { createSandbox } from './sandbox';
import type { Caller } from './tokens';
import type { TestVhost } from './vhost';

/** Two instances of one service under test, in a vhost and under a database prefix of their own. */
export interface ServicePair<Client> {
  vhost: TestVhost;
  prefix: string;
  config: Config;
  instances: [RunningInstance, RunningInstance];
  /** Typed clients of instance-1 and instance-2. */
  one: Client;
  two: Client;
  /** Instance-1, for deliberately malformed requests. */
  raw: RawClient;
  /** For publishing test events, each as its sender. */
  broker: CatalogPublisher;
  /** Reads the probe queues. */
  probe: QueueProbe;
  stop(): Promise<void>;
}

/**
 * Starts two instances of the service with probe queues declared, so a test
 * can see what the service publishes; `client` makes the typed client of an
 * instance from its url. Whatever started before a failure is
 * stopped and removed again.
 */
export async function startServicePair<Client>(
  service: ServiceDefinition,
  label: string,
  probes: QueueSpec[],
  client: (url: string) => Client,
  /** Who the raw client calls as (staff unless said). */
  caller?: Caller,
): Promise<ServicePair<Client>> {
  const sandbox = await createSandbox(label);
  const instances: RunningInstance[] = [];
  let opened: Probes | undefined;
  const stop = async () => {
    for (const instance of instances) await instance.stop();
    await opened?.probe.close();
    await opened?.broker.close();
    await sandbox.remove();
  };
  try {
    opened = await openProbes(sandbox.vhost.url, `${label}-test`, probes);
    const config = sandbox.config();
    // In turn: the first creates and migrates the shared write database.
    for (const id of ['instance-1', 'instance-2']) instances.push(await startTestInstance(service, config, id));
    const [one, two] = instances.map((instance) => client(instance.url)) as [Client, Client];
    const { vhost, prefix } = sandbox;
    const raw = rawClient(instances[0]!.url, caller);
    return { vhost, prefix, config, instances: instances as [RunningInstance, RunningInstance], one, two, raw, ...opened, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
