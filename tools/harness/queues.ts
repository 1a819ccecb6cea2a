import { historyStream } from '../../libraries/messaging/topology';
import { rabbitmqctl } from '../toolchain/rabbitmqctl';

export { rabbitmqctl };

export interface QueueDepth {
  name: string;
  messages: number;
}

/**
 * How long to wait before a reading that should show settled queues: quorum
 * queues report their counts on a tick (quorum_tick_interval, 5 s by
 * default), so a count can be that stale; a 3 s wait showed messages long
 * since acked.
 */
export const SETTLE_BEFORE_DEPTHS_MS = 6000;

/**
 * Messages ready + unacknowledged in every queue of the vhost, deepest first;
 * the history stream is left out: it keeps every event on purpose, it is no backlog.
 */
export async function queueDepths(vhost: string): Promise<QueueDepth[]> {
  const output = await rabbitmqctl('list_queues', '-p', vhost, '--no-table-headers', 'name', 'messages');
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts.length === 2 && /^\d+$/.test(parts[1]!))
    .map(([name, messages]) => ({ name: name!, messages: Number(messages) }))
    .filter((queue) => queue.name !== historyStream)
    .sort((a, b) => b.messages - a.messages || a.name.localeCompare(b.name));
}

export async function listVhosts(): Promise<string[]> {
  const output = await rabbitmqctl('list_vhosts', '--no-table-headers', 'name');
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}
