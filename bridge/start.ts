import { connectTemporal } from '../libraries/runtime/temporal-client';
import { Teardown } from '../libraries/common/teardown';
import { createVerifier } from '../libraries/auth/verifier';
import { authSettings, type Config } from '../libraries/config/env';
import { createServiceApp } from '../libraries/http/app';
import { serveHttp } from '../libraries/http/serve';
import type { Logger } from '../libraries/observability/logging/logger';
import { connectProcessBroker } from '../libraries/runtime/process-broker';
import { Consumer } from '../libraries/messaging/consumer';
import { publisherCheck } from '../libraries/messaging/permissions';
import { retryPolicyFrom } from '../libraries/messaging/retry-policy';
import { dlqName, sagaQueue } from '../libraries/messaging/topology';
import { replyHandler } from './reply-handler';
import { serviceRegistry } from '../libraries/config/services';
import { createMetrics } from '../libraries/observability/metrics';
import type { Telemetry } from '../libraries/observability/telemetry';

export interface RunningBridge {
  port: number;
  stop(): Promise<void>;
}

/** The AMQP→Temporal bridge: consumes `scheduling-service.saga` and signals workflows; /health and /ready on HTTP. */
export async function startBridge(config: Config, baseLogger: Logger, port: number, telemetry: Telemetry): Promise<RunningBridge> {
  const logger = baseLogger.child({ process: 'bridge', instance: config.INSTANCE_ID });
  const metrics = createMetrics({ service: 'bridge', instance: config.INSTANCE_ID });
  const teardown = new Teardown();
  return teardown.guard(async () => {
    const temporal = teardown.add(await connectTemporal(config, telemetry), (client) => client.close());
    const queue = sagaQueue(serviceRegistry.scheduling.source);
    const broker = teardown.add(
      await connectProcessBroker(config, { name: `bridge.${config.INSTANCE_ID}`, queues: [queue], logger, metrics, telemetry }),
      (connected) => connected.close(),
    );
    const consumerOptions = {
      metrics,
      tracer: telemetry.tracer,
      queue: queue.name,
      handler: replyHandler(temporal.client),
      prefetch: config.AMQP_PREFETCH,
      retry: retryPolicyFrom(config),
      logger,
      // A reply only from the participant that gives it: a forged x-saga-id from anyone else is dead-lettered.
      publishers: publisherCheck(config.AMQP_USER_PREFIX, broker.user),
    };
    teardown.add(await Consumer.start(broker, consumerOptions), (consumer) => consumer.stop());
    metrics.observe({ dlqMessages: () => broker.queueDepths([dlqName(queue.name)]) });
    const app = createServiceApp({
      metrics,
      tracer: telemetry.tracer,
      service: 'bridge',
      instance: config.INSTANCE_ID,
      title: 'HAP saga bridge',
      description: 'Delivers saga replies from RabbitMQ to Temporal workflows as signals.',
      logger,
      verifier: await createVerifier(authSettings(config)),
      checks: [
        { name: 'broker', check: () => broker.check() },
        { name: 'temporal', check: temporal.check },
      ],
    });
    // Closed first on stop (the teardown runs newest first): no new requests while the consumer drains.
    const server = teardown.add(await serveHttp(app, port, config.HTTP_HOST), (http) => http.close());
    logger.info('bridge started', { queue: queue.name, port: server.port });
    return { port: server.port, stop: () => teardown.run((error) => logger.error('bridge shutdown step failed', { error })) };
  });
}
