import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../libraries/config/env';
import { serviceNames } from '../../libraries/config/services';
import type { Cleanup } from '../harness/cleanup';
import { createIsolation, removeIsolation, removeLeftovers } from '../harness/isolation';
import { launchIsolated } from '../harness/isolated-launch';
import { isolatedConfig, staffToken } from '../harness/tool-run';
import { JsonHttpClient } from '../harness/json-http';
import { removeLeftoverTemporalDirs } from '../harness/temporal';
import { rabbitmqctl } from '../toolchain/rabbitmqctl';
import { account, type Accounting } from './accounting';
import { Canary } from './canary';
import { LoadDriver } from './load/driver';
import { makeFixtures } from './load/fixtures';
import type { ChaosOptions } from './options';
import type { Scenario, SentPoison } from './scenario';
import { allScenarios, ensurePostgresRuns } from './scenarios';
import { StallingProxy } from './stalling-proxy';
import { ChaosSystem } from './system';

export interface ScenarioResult {
  name: string;
  summary: string;
  /** Requests the load sent from the fault until the end of its recovery window. */
  requests: number;
  /** Attempts the client saw fail (5xx, timeout, refused) in that time; each was retried. */
  clientErrors: number;
  /** Requests the client gave up on (no answer below 500 within its retry budget). */
  gaveUp: number;
  /** From the repair (restart, start) until every process was ready and a new booking was SCHEDULED. */
  recoverySeconds: number | undefined;
  /** Processes that died on their own meanwhile. */
  crashes: number;
  ok: boolean;
  error?: string;
}

export interface ChaosResult {
  startedAt: string;
  options: ChaosOptions;
  scenarios: ScenarioResult[];
  /** Scenarios left out, and why: by --only/--skip/--contained, or because this machine cannot run them. */
  skipped: { name: string; why: string }[];
  totals: Accounting['totals'];
  findings: Accounting['findings'];
  drainSeconds: number;
  ok: boolean;
}

/** RabbitMQ and PostgreSQL running, whatever a fault (or an interrupted run) left them as. */
async function ensureSharedServersRun(pgUrl: string): Promise<void> {
  await rabbitmqctl('start_app').catch(() => {});
  await rabbitmqctl('await_startup').catch(() => {});
  await ensurePostgresRuns(pgUrl);
}

/** The instance whose broker connection runs through the partition proxy. */
const PARTITIONED = 'records-2';

const matches = (patterns: readonly string[], name: string) => patterns.some((pattern) => name === pattern || name.startsWith(pattern));

/** Which scenarios run and which are left out (with why), before anything starts. */
export async function selectScenarios(
  scenarios: Scenario[],
  options: ChaosOptions,
): Promise<{ run: Scenario[]; skipped: ChaosResult['skipped'] }> {
  const unknown = [...options.only, ...options.skip].filter((pattern) => !scenarios.some((scenario) => matches([pattern], scenario.name)));
  if (unknown.length > 0) throw new Error(`no scenario is named ${unknown.join(', ')} (npm run chaos -- --list names them)`);
  const run: Scenario[] = [];
  const skipped: ChaosResult['skipped'] = [];
  for (const scenario of scenarios) {
    if (options.only.length > 0 && !matches(options.only, scenario.name)) continue;
    const why = matches(options.skip, scenario.name)
      ? 'left out by --skip'
      : options.contained && !scenario.contained
        ? 'left out by --contained: it stops the shared RabbitMQ or PostgreSQL'
        : await scenario.unavailable?.();
    if (why) skipped.push({ name: scenario.name, why });
    else run.push(scenario);
  }
  return { run, skipped };
}

/** The names of the matrix, in order, as a run would build them (for --list and --only). */
export const scenarioNames = (repoRoot: string) =>
  scenariosFor({ repoRoot, buildDir: '', pgUrl: () => '', proxy: () => undefined }).map(
    (scenario) => `${scenario.name}: ${scenario.summary}`,
  );

function scenariosFor(options: {
  repoRoot: string;
  buildDir: string;
  pgUrl: () => string;
  proxy: () => StallingProxy | undefined;
}): Scenario[] {
  // The instances launchIsolated starts: two of each service.
  const instanceNames = serviceNames.flatMap((service) => [`${service}-1`, `${service}-2`]);
  return allScenarios({ ...options, instanceNames, partitioned: PARTITIONED });
}

/**
 * One run of the fault matrix: HAP launched as npm start launches it, in a
 * vhost, databases, task queue and Temporal dev server (state in a file) of
 * its own; the load flowing throughout; each fault injected, repaired and
 * recovered from in turn; then, once the system drained, the accounting.
 */
export async function runChaos(
  options: ChaosOptions,
  context: { config: Config; repoRoot: string; logDir: string; cleanup: Cleanup; log: (line: string) => void },
): Promise<ChaosResult> {
  const { config, cleanup, log } = context;
  const startedAt = new Date().toISOString();
  await removeLeftovers('hapchaos', config.PG_URL, log);
  await removeLeftoverTemporalDirs('hapchaos', log);
  const isolation = await createIsolation('hapchaos', config.AMQP_URL);
  cleanup.defer('remove the vhost, users, databases and roles', () => removeIsolation(isolation, config.PG_URL));
  // A run interrupted in the middle of an outage may have left them stopped.
  await ensureSharedServersRun(config.PG_URL);
  log(`isolated in vhost and database prefix ${isolation.name}`);

  const broker = new URL(config.AMQP_URL);
  const proxy = await StallingProxy.start({ host: broker.hostname, port: Number(broker.port || 5672) });
  cleanup.defer('close the partition proxy', () => proxy.close());
  const buildDir = path.join(context.repoRoot, '.data', 'chaos', isolation.name);
  cleanup.defer('remove the deploy scenario build', () => rm(buildDir, { recursive: true, force: true }));
  const scenarios = scenariosFor({ repoRoot: context.repoRoot, buildDir, pgUrl: () => config.PG_URL, proxy: () => proxy });
  const { run, skipped } = await selectScenarios(scenarios, options);
  for (const { name, why } of skipped) log(`skipping ${name}: ${why}`);
  const windowS = options.durationS === undefined ? options.windowS : Math.max(2, Math.floor(options.durationS / Math.max(1, run.length)));

  const isolated = await launchIsolated({
    kind: 'hapchaos',
    config: isolatedConfig(config, isolation),
    temporal: { storage: 'file' },
    logDir: context.logDir,
    cleanup,
    log,
    processEnv: (spec): Record<string, string> => (spec.name === PARTITIONED ? { AMQP_URL: proxy.urlThrough(spec.env.AMQP_URL!) } : {}),
  });
  const system = new ChaosSystem(isolated, { ...config, AMQP_URL: isolation.amqpUrl, DB_PREFIX: isolation.dbPrefix });

  const token = await staffToken(config, 'chaos');
  const gateway = new JsonHttpClient(system.gatewayUrl, { token, timeoutMs: 15_000 });
  cleanup.defer('close HTTP connections', async () => gateway.close());

  log('registering the patients and physicians the load works with');
  const fixtures = await makeFixtures(gateway, isolation.name);
  const canary = new Canary(gateway, fixtures.canary);
  const driver = new LoadDriver(gateway, fixtures, { ratePerSecond: options.rate, retry: { giveUpAfterMs: 300_000, maxPauseMs: 5000 } });
  const poison: SentPoison[] = [];
  const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

  log(`load at ${options.rate} requests/s; warming up for ${options.warmupS} s`);
  driver.start();
  cleanup.defer('stop the load', () => driver.abort());
  // Registered last, so that an interrupted run brings a stopped RabbitMQ or PostgreSQL back first of all.
  cleanup.defer('make sure RabbitMQ and PostgreSQL run', () => ensureSharedServersRun(config.PG_URL));
  await sleep(options.warmupS);

  const results: Omit<ScenarioResult, 'requests' | 'clientErrors' | 'gaveUp'>[] = [];
  for (const scenario of run) {
    log(`▶ ${scenario.name}: ${scenario.summary}`);
    driver.enter(scenario.name);
    const crashesBefore = system.crashes().length;
    let error: string | undefined;
    try {
      await scenario.inject({
        system,
        timing: { outageMs: options.outageS * 1000, longOutageMs: options.longOutageS * 1000 },
        log: (line) => log(`  ${line}`),
        expectDeadLetters: (messages) => poison.push(...messages),
      });
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
      log(`  the fault could not be injected: ${error}`);
    }
    const recoveredInMs = await canary.timeToRecover(system, 300_000).catch((failure: unknown) => {
      error ??= failure instanceof Error ? failure.message : String(failure);
      return undefined;
    });
    const recoverySeconds = recoveredInMs === undefined ? undefined : Math.round(recoveredInMs / 100) / 10;
    log(recoverySeconds === undefined ? '  ✗ did not recover' : `  recovered in ${recoverySeconds} s`);
    await sleep(windowS);
    const crashes = system.crashes().length - crashesBefore;
    results.push({
      name: scenario.name,
      summary: scenario.summary,
      recoverySeconds,
      crashes,
      ok: error === undefined && recoverySeconds !== undefined && crashes === 0,
      ...(error === undefined ? {} : { error }),
    });
  }

  log('stopping the load; waiting for every request to be answered');
  driver.enter('drain');
  await driver.stop();
  // Counted once every request has its answer: one sent during a scenario and retried past it counts for that scenario.
  const outcomes = results.map((result) => {
    const counted = driver.countersOf(result.name);
    return { ...result, ...counted, ok: result.ok && counted.gaveUp === 0 };
  });
  const accounting = await account({
    system,
    journal: driver.journal,
    gaveUp: driver.totals.gaveUp,
    poison,
    drainTimeoutMs: options.drainTimeoutS * 1000,
    log,
  });
  const ok =
    outcomes.every((result) => result.ok) && Object.entries(accounting.totals).every(([key, value]) => key === 'accepted' || value === 0);
  return { startedAt, options, scenarios: outcomes, skipped, ...accounting, ok };
}
