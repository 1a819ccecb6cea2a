import { describe, expect, it } from 'vitest';
import { expectedDeadLetters } from '../../tools/chaos/poison-routes';
import { topicMatches } from '../../libraries/messaging/topology';
import { systemQueues } from '../../libraries/messaging/topology';

describe('where poison must end: the DLQ of every queue its routing reached', () => {
  it('matches topics as the broker does', () => {
    expect(topicMatches('patient.#', 'patient.registered')).toBe(true);
    expect(topicMatches('#', 'a.b.c')).toBe(true);
    expect(topicMatches('a.#.c', 'a.c')).toBe(true);
    expect(topicMatches('a.*', 'a.b.c')).toBe(false);
    expect(topicMatches('a.*.c', 'a.b.c')).toBe(true);
    expect(topicMatches('patient.registered', 'patient.updated')).toBe(false);
  });

  it("expects a poison message in each bound queue's DLQ, for every instance, and nowhere else", () => {
    const queues = systemQueues(['instance-1', 'instance-2']);
    // Every instance queue bound to it: patients' own views and those of the services that show patients' names.
    const patient = queues.filter((queue) =>
      queue.bindings.some((b) => b.exchange === 'hap.patients' && topicMatches(b.pattern, 'patient.registered')),
    );
    expect(patient.length).toBeGreaterThan(0);
    const expected = expectedDeadLetters([{ messageId: 'm1', exchange: 'hap.patients', routingKey: 'patient.registered' }], queues);
    expect([...expected.get('m1')!].sort()).toEqual(patient.map((queue) => `${queue.name}.dlq`).sort());
    expect(expectedDeadLetters([{ messageId: 'm2', exchange: 'hap.nowhere', routingKey: 'x' }], queues).get('m2')).toEqual(new Set());
  });
});
