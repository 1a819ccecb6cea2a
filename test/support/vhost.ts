import { inject } from 'vitest';
import { rabbitmqctl } from '../../tools/toolchain/rabbitmqctl';

export interface TestVhost {
  name: string;
  /** AMQP URL of the vhost. */
  url: string;
  /** What `rabbitmqctl close_all_connections` does to a broker in trouble, limited to this vhost. */
  closeAllConnections(): Promise<void>;
  remove(): Promise<void>;
}

/**
 * A vhost of its own for one test file: the real exchange and queue names,
 * nothing shared with other files, other runs or a running HAP.
 */
export async function createTestVhost(label: string): Promise<TestVhost> {
  const name = `${inject('runId')}-${label}-${Math.random().toString(36).slice(2, 8)}`;
  await rabbitmqctl('add_vhost', name);
  await rabbitmqctl('set_permissions', '-p', name, 'guest', '.*', '.*', '.*');
  const base = new URL(inject('amqpUrl'));
  base.pathname = `/${encodeURIComponent(name)}`;
  return {
    name,
    url: base.toString(),
    closeAllConnections: async () => {
      await rabbitmqctl('close_all_connections', '--vhost', name, 'test: simulated broker trouble');
    },
    remove: async () => {
      await rabbitmqctl('delete_vhost', name);
    },
  };
}
