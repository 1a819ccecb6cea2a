/**
 * `npm start`: brings HAP up on this machine with working defaults.
 * Today that is the foundation: prerequisites checked, the Temporal dev server
 * (persistent, with its Web UI and HAP's search attributes), and the broker
 * topology of every service; the services join as they land.
 * Ctrl-C or SIGTERM stops what it started; a second run reuses what exists.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../config/env';
import { createLogger } from '../logging/logger';
import { Broker } from '../messaging/broker';
import { systemQueues } from '../messaging/topology';
import { temporalConfig } from '../temporal.config';
import { startDevServer, type DevServer } from '../toolchain/dev-server';
import { checkPostgres, checkRabbitMq, PrerequisiteError } from '../toolchain/prerequisites';
import { REPO_ROOT, ensureTemporalBinaries } from '../toolchain/temporal-binaries';

const instances = ['instance-1', 'instance-2'];

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, fields: { process: 'start' } });
  const step = (text: string) => console.log(`• ${text}`);

  step('checking PostgreSQL and RabbitMQ');
  await checkPostgres(config.PG_URL);
  await checkRabbitMq(config.AMQP_URL);

  let temporal: DevServer | undefined;
  if (await temporalAnswers(config.TEMPORAL_ADDRESS)) {
    step(`reusing the Temporal server already at ${config.TEMPORAL_ADDRESS}`);
  } else {
    step('starting the Temporal dev server');
    const binaries = await ensureTemporalBinaries({ log: (line) => step(line) });
    const [, port] = config.TEMPORAL_ADDRESS.split(':');
    const dataDir = path.join(REPO_ROOT, '.data');
    await mkdir(dataDir, { recursive: true });
    temporal = await startDevServer({
      binary: binaries.temporal,
      port: Number(port ?? 7233),
      uiPort: config.TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      searchAttributes: temporalConfig.searchAttributes,
      readyTimeoutMs: 120_000,
    });
  }

  step('declaring exchanges, queues and dead-letter queues');
  const broker = await Broker.connect({
    url: config.AMQP_URL,
    connectionName: 'hap-start',
    topology: { queues: systemQueues(instances), retryDelaysMs: config.AMQP_RETRY_DELAYS_MS },
    logger,
  });
  await broker.close();

  console.log('\nHAP is up:\n');
  console.table([
    { process: 'Temporal frontend', where: config.TEMPORAL_ADDRESS },
    { process: 'Temporal Web UI', where: temporal?.uiUrl ?? `http://127.0.0.1:${config.TEMPORAL_UI_PORT}` },
    { process: 'RabbitMQ', where: config.AMQP_URL.replace(/\/\/[^@]*@/, '//') },
    { process: 'PostgreSQL', where: config.PG_URL },
  ]);

  if (!temporal) return;
  console.log('\nCtrl-C stops it.');
  const stop = async () => {
    console.log('\nstopping…');
    await temporal.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

async function temporalAnswers(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.workflowService.getSystemInfo({});
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof PrerequisiteError ? `✗ ${error.message}` : error);
  process.exit(1);
});
