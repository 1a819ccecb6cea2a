import { declareTopology, type DeclaringChannel, type Topology } from './topology';

/**
 * The topology as RabbitMQ definitions (exchanges, queues, bindings), for a
 * broker that imports them at boot (compose's definitions.json): recorded
 * from declareTopology itself, so the file and a live declaration cannot
 * drift apart.
 */
export async function topologyDefinitions(vhost: string, topology: Topology) {
  const exchanges: object[] = [];
  const queues: object[] = [];
  const bindings: object[] = [];
  const recorder: DeclaringChannel = {
    assertExchange: async (name, type) =>
      exchanges.push({ name, vhost, type, durable: true, auto_delete: false, internal: false, arguments: {} }),
    assertQueue: async (name, options) =>
      queues.push({ name, vhost, durable: true, auto_delete: false, arguments: options?.arguments ?? {} }),
    bindQueue: async (destination, source, routingKey, args) =>
      bindings.push({ source, vhost, destination, destination_type: 'queue', routing_key: routingKey, arguments: args ?? {} }),
    // A broker importing the definitions is new: it has no bindings of an earlier release to remove.
    unbindQueue: async () => undefined,
  };
  await declareTopology(recorder, topology);
  return { exchanges, queues, bindings };
}
