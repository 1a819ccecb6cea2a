/**
 * Saga benchmark (issue 7): `npm run bench -- --duration 30 --rate 10`.
 * Starts HAP as `npm start` does, isolated (own vhost, databases, task queue
 * and Temporal dev server) or attaches to a running one, drives saga 1 at a
 * constant arrival rate, and measures POST → SCHEDULED visible in a
 * scheduling read model; then the ceilings on the same servers (the bare
 * saga and saga 1's own workflow at full speed, the broker alone). Prints tables, writes
 * bench-results/<timestamp>.json and .svg. `--help` lists the options.
 */
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { defaultInstances } from '../../libraries/config/services';
import { loadConfig } from '../../libraries/config/env';
import { REPO_ROOT } from '../toolchain/temporal-binaries';
import { measureBrokerRates, type BrokerRates } from './broker/rates';
import { measureCeilings, type CeilingResult } from './ceiling/run';
import type { Cleanup } from '../harness/cleanup';
import { isolatedConfig, runStamp, runTool, staffToken } from '../harness/tool-run';
import { registerPatients } from './load/fixtures';
import { JsonHttpClient } from '../harness/json-http';
import { runSteps } from './load/steps';
import { runWindow, type WindowContext, type WindowOptions, type WindowResult } from './load/window';
import { parseOptions, type BenchOptions } from './options';
import { formatResults } from './report/print';
import { buildResults, writeResults } from './report/results';
import { PgConnectionCounter } from './resources/pg-connections';
import { stackMemoryMiB } from './resources/stack-memory';
import { codeVersion } from '../harness/git';
import { createIsolation, removeIsolation, removeLeftovers } from '../harness/isolation';
import { queueDepths, SETTLE_BEFORE_DEPTHS_MS } from '../harness/queues';
import { attachTarget, launchTarget, type BenchTarget } from './system/target';
import { removeLeftoverTemporalDirs } from '../harness/temporal';

const log = (line: string) => console.log(`• ${line}`);

/** The knobs of libraries/config/env.ts that matter for throughput, as the launched processes get them. */
const TUNING_KEYS = ['AMQP_PREFETCH', 'PG_POOL_MAX', 'OUTBOX_POLL_INTERVAL_MS', 'OUTBOX_BATCH_SIZE', 'LOG_LEVEL'] as const;

async function main(options: BenchOptions, cleanup: Cleanup): Promise<void> {
  const startedAt = new Date();
  const stamp = runStamp(startedAt);
  const outDir = path.resolve(REPO_ROOT, options.outDir);
  // The launched processes inherit this environment (libraries/config/env.ts reads it there).
  Object.assign(process.env, options.env);
  const config = loadConfig(process.env);

  await removeLeftovers('hapbench', config.PG_URL, log);
  await removeLeftoverTemporalDirs('hapbench', log);
  const isolation = await createIsolation('hapbench', config.AMQP_URL);
  cleanup.defer('remove the vhost and databases', () => removeIsolation(isolation, config.PG_URL));
  log(`isolated in vhost and database prefix ${isolation.name}`);

  // Opened before the system starts, which may take every connection the server has.
  const pgConnections = await PgConnectionCounter.open(config.PG_URL, options.attach ? config.DB_PREFIX : isolation.dbPrefix);
  cleanup.defer('close the connection counter', () => pgConnections.close());

  let target: BenchTarget;
  if (options.attach) {
    log(`attaching to the HAP at ${options.attach} (read models: ${options.schedulingUrls.join(', ')})`);
    target = await attachTarget({ gatewayUrl: options.attach, schedulingUrls: options.schedulingUrls, config });
  } else {
    const logDir = path.join(outDir, `${stamp}-logs`);
    const shape =
      options.instances === defaultInstances
        ? 'as npm start does'
        : `as npm start does but with ${options.instances} instance(s) of each service`;
    log(`launching HAP ${shape} (logs in ${path.relative(REPO_ROOT, logDir)})`);
    target = await launchTarget({
      config: isolatedConfig(config, isolation),
      vhost: isolation.name,
      temporal: { storage: options.temporalStorage, sqlitePragmas: options.sqlitePragmas, dynamicConfig: options.dynamicConfig },
      logDir,
      cleanup,
      log,
      instances: options.instances,
    });
  }

  // The front desk books and reads (staff), with a token of the development issuer the target trusts.
  const token = await staffToken(config, 'bench');
  const gateway = new JsonHttpClient(target.gatewayUrl, { token });
  const scheduling = target.schedulingUrls.map((url) => new JsonHttpClient(url, { maxSockets: 16, token }));
  cleanup.defer('close HTTP connections', async () => [gateway, ...scheduling].forEach((client) => client.close()));

  // Settled a moment after the launch (or as found, when attached), before any load.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const memoryAtRestMiB = await stackMemoryMiB(target.monitored);
  log(`the stack holds ${memoryAtRestMiB} MiB at rest (proportional set sizes)`);

  let ceilings: CeilingResult[] = [];
  if (options.ceiling) {
    log(
      `measuring the workflow ceilings first, on the idle system (${options.ceilingConcurrency} in flight, ${options.ceilingDurationS} s each): the bare saga, then saga 1's own workflow`,
    );
    ceilings = await measureCeilings(
      {
        address: target.temporalAddress,
        namespace: target.namespace,
        taskQueue: `${isolation.name}-ceiling`,
        warmupMs: 3000,
        durationMs: options.ceilingDurationS * 1000,
        concurrency: options.ceilingConcurrency,
        monitored: target.monitored,
      },
      ['bare', 'saga'],
    );
  }
  log(`registering ${options.patients} patients`);
  const context: WindowContext = {
    gateway,
    scheduling,
    vhost: target.vhost,
    pgConnections,
    patientIds: await registerPatients(gateway, options.patients, isolation.name),
    monitored: target.monitored,
    log,
  };
  const base: Omit<WindowOptions, 'ratePerSecond' | 'label' | 'durationMs'> = {
    drainTimeoutMs: options.drainTimeoutS * 1000,
    cancelFraction: options.cancelFraction,
    preferWaitS: options.preferWaitS,
    observer: {
      amqpUrl: options.attach ? (options.amqpUrl ?? config.AMQP_URL) : isolation.amqpUrl,
      confirmRetryMs: options.confirmRetryMs,
      lookupAfterMs: options.lookupAfterMs,
    },
  };

  if (options.warmupS > 0) {
    const rate = options.step ? Math.min(...options.stepRates) : options.rate;
    log(`warming up: ${rate}/s for ${options.warmupS} s, not counted`);
    await runWindow({ ...base, label: 'warmup', ratePerSecond: rate, durationMs: options.warmupS * 1000, drainTimeoutMs: 15_000 }, context);
  }

  let windows: WindowResult[];
  let headline: WindowResult;
  let knee: WindowResult | undefined;
  let stopReason: string | undefined;
  if (options.step) {
    const steps = await runSteps(options.stepRates, { ...base, durationMs: options.stepDurationS * 1000 }, context);
    ({ windows, knee, stopReason } = steps);
    headline = knee ?? windows[0]!;
  } else {
    log(`driving saga 1 at ${options.rate}/s for ${options.durationS} s`);
    headline = await runWindow({ ...base, label: 'rate', ratePerSecond: options.rate, durationMs: options.durationS * 1000 }, context);
    windows = [headline];
    log(
      `  ${headline.completed}/${headline.sent} scheduled, p50 ${headline.latencyMs.p50} ms, p99 ${headline.latencyMs.p99} ms; drained in ${headline.drainMs} ms`,
    );
  }
  // What is still queued once the sagas are done and the events they leave behind (hold confirmations, records) had time to go.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_BEFORE_DEPTHS_MS));
  const queues = await queueDepths(target.vhost);

  let broker: BrokerRates | undefined;
  if (options.broker) {
    log(`measuring the broker alone (${options.brokerMessages} messages)`);
    broker = await measureBrokerRates({
      amqpUrl: isolation.amqpUrl,
      pgUrl: config.PG_URL,
      dbPrefix: isolation.dbPrefix,
      messages: options.brokerMessages,
      window: 500,
      prefetch: config.AMQP_PREFETCH,
    });
  }

  const settings: Record<string, string> = Object.fromEntries(TUNING_KEYS.map((key) => [key, String(config[key])]));
  const results = buildResults({
    startedAt,
    code: await codeVersion(),
    mode: options.step ? 'step' : 'rate',
    options: { ...options },
    settings: { ...settings, ...options.env },
    temporalFlags: target.temporalFlags,
    memoryAtRestMiB,
    temporalPersistence: options.attach ? 'file' : options.temporalStorage,
    windows,
    headline,
    knee,
    stopReason,
    ceilings,
    broker,
    queues,
  });
  console.log(formatResults(results));
  const written = await writeResults(results, outDir, stamp);
  console.log(`\nWrote ${path.relative(process.cwd(), written.json)} and ${path.relative(process.cwd(), written.svg)}`);
}

const options = parseOptions(process.argv.slice(2));
// The ceiling's in-process worker would log every state change at INFO.
Runtime.install({ logger: new DefaultLogger('WARN') });
await runTool('bench', log, async (cleanup) => {
  await main(options, cleanup);
  return 0;
});
