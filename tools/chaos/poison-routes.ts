import type { QueueSpec } from '../../libraries/messaging/topology';
import { dlqName, topicMatches } from '../../libraries/messaging/topology';
import type { SentPoison } from './scenario';

/** The DLQ each poison message must end in once: one per queue its exchange and routing key reached. */
export function expectedDeadLetters(poison: readonly SentPoison[], queues: readonly QueueSpec[]): Map<string, Set<string>> {
  const expected = new Map<string, Set<string>>();
  for (const sent of poison) {
    const reached = queues.filter((queue) =>
      queue.bindings.some((binding) => binding.exchange === sent.exchange && topicMatches(binding.pattern, sent.routingKey)),
    );
    expected.set(sent.messageId, new Set(reached.map((queue) => dlqName(queue.name))));
  }
  return expected;
}
