import type { QueueSpec } from '../messaging/topology';
import { dlqName } from '../messaging/topology';
import type { SentPoison } from './scenario';

/** AMQP topic matching: `*` is one word, `#` zero or more. */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const match = (p: string[], k: string[]): boolean => {
    if (p.length === 0) return k.length === 0;
    const [head, ...rest] = p;
    if (head === '#') return match(rest, k) || (k.length > 0 && match(p, k.slice(1)));
    return k.length > 0 && (head === '*' || head === k[0]) && match(rest, k.slice(1));
  };
  return match(pattern.split('.'), routingKey.split('.'));
}

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
