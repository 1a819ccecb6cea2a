import type { Config } from '../../config/env';
import { silentLogger } from '../../logging/logger';
import { Broker } from '../../messaging/broker';
import type { QueueSpec } from '../../messaging/topology';
import type { RunningInstance, ServiceDefinition } from '../../services/runtime/instance';
import { declareQueues } from './declare';
import { jsonClient, type JsonClient } from './http';
import { dropDatabases, startTestInstance, testConfig, testDbPrefix } from './instances';
import { QueueProbe } from './queue-probe';
import { createTestVhost, type TestVhost } from './vhost';

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
  const vhost = await createTestVhost(label);
  const prefix = testDbPrefix(label);
  const instances: RunningInstance[] = [];
  let broker: Broker | undefined;
  let probe: QueueProbe | undefined;
  const stop = async () => {
    for (const instance of instances) await instance.stop();
    await probe?.close();
    await broker?.close();
    await vhost.remove();
    await dropDatabases(prefix);
  };
  try {
    broker = await Broker.connect({
      url: vhost.url,
      connectionName: `${label}-test`,
      topology: { queues: [], retryDelaysMs: [] },
      logger: silentLogger,
    });
    await declareQueues(broker, probes, []);
    const config = testConfig(vhost.url, prefix);
    // In turn: the first creates and migrates the shared write database.
    for (const id of ['instance-1', 'instance-2']) instances.push(await startTestInstance(service, config, id));
    probe = await QueueProbe.open(vhost.url);
    const [one, two] = instances.map((instance) => jsonClient(instance.url)) as [JsonClient, JsonClient];
    return { vhost, prefix, config, instances: instances as [RunningInstance, RunningInstance], one, two, broker, probe, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
