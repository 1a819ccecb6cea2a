import type { Broker } from '../../libraries/messaging/broker';
import { declareTopology, type QueueSpec } from '../../libraries/messaging/topology';

/** Declares extra queues (with their DLQs and retry queues) the way every process does on connect. */
export async function declareQueues(broker: Broker, queues: QueueSpec[], retryDelaysMs: number[]): Promise<void> {
  const channel = broker.createChannel('declare', (ch) => declareTopology(ch, { queues, retryDelaysMs }));
  await channel.waitForConnect();
  await channel.close();
}
