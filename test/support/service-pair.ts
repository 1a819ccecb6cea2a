import type { Config } from '../../config/env';
import type { Broker } from '../../messaging/broker';
import type { QueueSpec } from '../../messaging/topology';
import type { RunningInstance, ServiceDefinition } from '../../runtime/service-instance';
import { jsonClient, type JsonClient } from './http';
import { startTestInstance } from './instances';
import { openProbes, type Probes } from './probes';
import type { QueueProbe } from './queue-probe';
import { createSandbox } from './sandbox';
import type { TestVhost } from './vhost';

/** Two instances of one service under test, in a vhost and under a database prefix of their own. */
export interface ServicePair {
  vhost: TestVhost;
  prefix: string;
  config: Config;
  instances: [RunningInstance, RunningInstance];
  one: JsonClient;
  two: JsonClient;
  /** For publishing test events. */
  broker: Broker;
  /** Reads the probe queues. */
  probe: QueueProbe;
  stop(): Promise<void>;
}

/**
 * Starts two instances of the service with probe queues declared, so a test
 * can see what the service publishes. Whatever started before a failure is
 * stopped and removed again.
 */
export async function startServicePair(service: ServiceDefinition, label: string, probes: QueueSpec[]): Promise<ServicePair> {
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
    const [one, two] = instances.map((instance) => jsonClient(instance.url)) as [JsonClient, JsonClient];
    const { vhost, prefix } = sandbox;
    return { vhost, prefix, config, instances: instances as [RunningInstance, RunningInstance], one, two, ...opened, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
