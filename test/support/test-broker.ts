import { silentLogger } from '../../libraries/observability/logging/logger';
import { Broker, type BrokerOptions } from '../../libraries/messaging/broker';
import type { Topology } from '../../libraries/messaging/topology';

export type TestBrokerOptions = Partial<Topology> & Pick<BrokerOptions, 'publishTimeoutMs' | 'heartbeatSeconds'>;

/** A broker connection of the test's own (it plays the setup user), silent, declaring only the queues and retry delays the test names. */
export function connectTestBroker(
  url: string,
  connectionName: string,
  { queues = [], retryDelaysMs = [], ...options }: TestBrokerOptions = {},
): Promise<Broker> {
  return Broker.connect({ url, connectionName, topology: { queues, retryDelaysMs }, declare: true, logger: silentLogger, ...options });
}
