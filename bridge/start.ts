import { connectTemporal } from '../clients/temporal';
import type { Config } from '../config/env';
import { createServiceApp } from '../http/app';
import { serveHttp } from '../http/serve';
import type { Logger } from '../logging/logger';
import { Broker } from '../messaging/broker';
import { Consumer } from '../messaging/consumer';
import { sagaQueue } from '../messaging/topology';
import { replyHandler } from './reply-handler';

export interface RunningBridge {
  port: number;
  stop(): Promise<void>;
}

/** The AMQP→Temporal bridge: consumes `scheduling-service.saga` and signals workflows; /health and /ready on HTTP. */
export async function startBridge(config: Config, baseLogger: Logger, port: number): Promise<RunningBridge> {
  const logger = baseLogger.child({ process: 'bridge', instance: config.INSTANCE_ID });
  const temporal = await connectTemporal(config);
  const queue = sagaQueue('scheduling-service');
  const broker = await Broker.connect({
    url: config.AMQP_URL,
    connectionName: `bridge.${config.INSTANCE_ID}`,
    topology: { queues: [queue], retryDelaysMs: config.AMQP_RETRY_DELAYS_MS },
    logger,
    publishTimeoutMs: config.AMQP_PUBLISH_TIMEOUT_MS,
  });
  const consumer = await Consumer.start(broker, {
    queue: queue.name,
    handler: replyHandler(temporal.client),
    prefetch: config.AMQP_PREFETCH,
    retry: { delaysMs: config.AMQP_RETRY_DELAYS_MS, maxRetries: config.BRIDGE_MAX_RETRIES },
    logger,
  });
  const app = createServiceApp({
    service: 'bridge',
    instance: config.INSTANCE_ID,
    title: 'HAP saga bridge',
    description: 'Delivers saga replies from RabbitMQ to Temporal workflows as signals.',
    logger,
    checks: [
      { name: 'broker', check: () => broker.check() },
      { name: 'temporal', check: temporal.check },
    ],
  });
  const server = await serveHttp(app, port, config.HTTP_HOST);
  logger.info('bridge started', { queue: queue.name, port: server.port });
  return {
    port: server.port,
    stop: async () => {
      await server.close();
      await consumer.stop();
      await broker.close();
      await temporal.close();
    },
  };
}
