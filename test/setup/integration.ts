import type { TestProject } from 'vitest/node';
import { listDatabases, dropDatabase } from '../../libraries/db/database';
import { loadConfig } from '../../libraries/config/env';
import { temporalConfig } from '../../temporal.config';
import { startDevServer } from '../../tools/toolchain/dev-server';
import { checkPostgres, checkRabbitMq, waitFor } from '../../tools/toolchain/prerequisites';
import { rabbitmqctl } from '../../tools/toolchain/rabbitmqctl';
import { dropDatabaseRoles } from '../../tools/toolchain/postgres-roles';
import { provideOfflineContext } from './unit';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Prefix of every database and vhost this run creates; removed at the end. */
    runId: string;
    pgUrl: string;
    /** AMQP URL of the broker's default vhost; tests make their own vhosts. */
    amqpUrl: string;
    /** host:port of the suite's one Temporal dev server. */
    temporalAddress: string;
    /** The `temporal` CLI, for tests that look at sagas the way an operator would. */
    temporalCliPath: string;
  }
}

const runPrefix = 'hapt_';
const staleAfterMs = 3 * 60 * 60 * 1000;

/**
 * Global setup of the integration project (`*.int.test.ts`): what the unit
 * project has (test/setup/unit.ts) and, once per run: the prerequisites
 * checked with a clear message, leftovers of crashed runs removed, and one
 * Temporal dev server (its own spawn with a generous readiness wait).
 */
export default async function setup(project: TestProject) {
  const config = loadConfig();
  const log = (line: string) => console.log(`[test setup] ${line}`);
  await waitFor(() => checkPostgres(config.PG_URL), 30_000);
  await waitFor(() => checkRabbitMq(config.AMQP_URL), 30_000);
  await removeStaleRuns(config.PG_URL);

  const runId = `${runPrefix}${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const { binaries, teardown } = await provideOfflineContext(project, runId);
  const started = Date.now();
  const temporal = await startDevServer({
    binary: binaries.temporal,
    headless: true,
    searchAttributes: temporalConfig.searchAttributes,
    readyTimeoutMs: 120_000,
  });
  log(`Temporal dev server ready at ${temporal.address} in ${Date.now() - started} ms`);

  project.provide('runId', runId);
  project.provide('pgUrl', config.PG_URL);
  project.provide('amqpUrl', config.AMQP_URL);
  project.provide('temporalAddress', temporal.address);
  project.provide('temporalCliPath', binaries.temporal);

  return async () => {
    await temporal.stop();
    await removeRun(config.PG_URL, runId);
    await teardown();
  };
}

async function removeRun(pgUrl: string, prefix: string): Promise<void> {
  for (const database of await listDatabases(pgUrl, prefix)) await dropDatabase(pgUrl, database);
  await dropDatabaseRoles(pgUrl, prefix);
  const vhosts = (await rabbitmqctl('list_vhosts', 'name')).split('\n').map((line) => line.trim());
  for (const vhost of vhosts.filter((name) => name.startsWith(prefix))) await rabbitmqctl('delete_vhost', vhost);
  // The sandboxes' broker users, named after their vhosts (test/support/broker-logins.ts).
  const users = (await rabbitmqctl('list_users', '--no-table-headers')).split('\n').map((line) => line.split('\t')[0]!.trim());
  const ours = users.filter((name) => name.startsWith(prefix));
  // A few at a time: each rabbitmqctl is a short-lived Erlang node of its own.
  for (let i = 0; i < ours.length; i += 8) await Promise.all(ours.slice(i, i + 8).map((user) => rabbitmqctl('delete_user', user)));
}

/** Runs that crashed before their teardown leave databases and vhosts behind; their run id tells their age. */
async function removeStaleRuns(pgUrl: string): Promise<void> {
  const names = [
    ...(await listDatabases(pgUrl, runPrefix)),
    ...(await rabbitmqctl('list_vhosts', 'name')).split('\n').map((line) => line.trim()),
  ];
  const stale = new Set<string>();
  for (const name of names) {
    const match = /^hapt_([0-9a-z]{8,9})_[0-9a-z]{4}/.exec(name);
    const startedAt = parseInt(match?.[1] ?? '0', 36);
    // Only names that carry a plausible run time (2020 onwards) are ours to judge.
    if (match && startedAt > Date.UTC(2020, 0) && Date.now() - startedAt > staleAfterMs) stale.add(match[0]);
  }
  for (const prefix of stale) await removeRun(pgUrl, prefix);
}
