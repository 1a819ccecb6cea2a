import type { Config } from '../config/env';
import { Broker } from '../messaging/broker';
import type { QueueSpec } from '../messaging/topology';
import type { Logger } from '../observability/logging/logger';
import type { Metrics } from '../observability/metrics';
import type { Telemetry } from '../observability/telemetry';

/**
 * A HAP process's broker connection, as every one of them makes it: its own
 * login and vhost (AMQP_URL), named `<name>` in the broker's connection list,
 * the queues it uses checked (never declared: the setup did that), publishes
 * counted and traced.
 */
export function connectProcessBroker(
  config: Config,
  connection: { name: string; queues: QueueSpec[]; logger: Logger; metrics: Metrics; telemetry: Telemetry },
): Promise<Broker> {
  return Broker.connect({
    url: config.AMQP_URL,
    connectionName: connection.name,
    topology: { queues: connection.queues, retryDelaysMs: config.AMQP_RETRY_DELAYS_MS },
    logger: connection.logger,
    publishTimeoutMs: config.AMQP_PUBLISH_TIMEOUT_MS,
    metrics: connection.metrics,
    tracer: connection.telemetry.tracer,
  });
}
