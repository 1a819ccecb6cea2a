import { CatalogPublisher } from './broker-logins';
import type { Exchange } from '../../libraries/config/services';
import type { QueueSpec } from '../../libraries/messaging/topology';
import { QueueProbe } from './queue-probe';
import { connectTestBroker } from './test-broker';

/** A broker connection that declared the probe queues (and publishes test events, each as its sender), and a QueueProbe that reads them. */
export interface Probes {
  broker: CatalogPublisher;
  probe: QueueProbe;
}

/** A queue of the test's own, bound to one exchange under the given patterns: a probe to read, or the queue a consumer under test takes. */
export function testQueue(name: string, exchange: Exchange, ...patterns: string[]): QueueSpec {
  return { name, bindings: patterns.map((pattern) => ({ exchange, pattern })) };
}

/**
 * Declares probe queues (with their DLQs) on a broker
 * connection of the test's own, and opens a QueueProbe to read them: how a
 * test sees what the system publishes. Close the probe, then the broker.
 */
export async function openProbes(url: string, connectionName: string, queues: QueueSpec[]): Promise<Probes> {
  const own = await connectTestBroker(url, connectionName, { queues });
  const broker = new CatalogPublisher(url, own);
  try {
    return { broker, probe: await QueueProbe.open(url) };
  } catch (error) {
    await broker.close();
    throw error;
  }
}
