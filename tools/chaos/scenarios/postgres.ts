import { execFile } from 'node:child_process';
import type { Scenario } from '../scenario';

/** The Debian cluster (pg_lsclusters) that serves the port of PG_URL: the one to restart. */
interface Cluster {
  version: string;
  name: string;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(command, args, { timeout: 120_000 }, (error, stdout, stderr) =>
      error ? reject(Object.assign(error, { stderr })) : resolve(stdout),
    ),
  );
}

async function clusterOn(port: number): Promise<Cluster | undefined> {
  const listing = await run('pg_lsclusters', ['--no-header']).catch(() => undefined);
  const line = listing
    ?.split('\n')
    .map((row) => row.trim().split(/\s+/))
    .find((columns) => Number(columns[2]) === port);
  return line ? { version: line[0]!, name: line[1]! } : undefined;
}

const portOf = (pgUrl: string) => Number(new URL(pgUrl).port || 5432);

/** Runs pg_ctlcluster on the cluster of PG_URL: stop, start or restart. */
export async function pgCtl(pgUrl: string, action: 'stop' | 'start' | 'restart'): Promise<void> {
  const cluster = await clusterOn(portOf(pgUrl));
  if (!cluster) throw new Error(`no PostgreSQL cluster on port ${portOf(pgUrl)} in pg_lsclusters`);
  await run('pg_ctlcluster', [
    '--skip-systemctl-redirect',
    cluster.version,
    cluster.name,
    action,
    ...(action === 'start' ? [] : ['-m', 'fast']),
  ]);
}

/** Starts the cluster if it is down (after an interrupted run): harmless when it runs. */
export async function ensurePostgresRuns(pgUrl: string): Promise<void> {
  const cluster = await clusterOn(portOf(pgUrl));
  if (cluster) await run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, 'start']).catch(() => {});
}

const unavailable = (pgUrl: () => string) => async () =>
  (await clusterOn(portOf(pgUrl())))
    ? undefined
    : `needs pg_lsclusters/pg_ctlcluster (Debian's postgresql-common) for the cluster on port ${portOf(pgUrl())}`;

/** PostgreSQL restarted (fast: open connections are cut) while the load flows. */
export const postgresRestart = (pgUrl: () => string): Scenario => ({
  name: 'postgres-restart',
  summary: 'PostgreSQL restarted (pg_ctlcluster restart -m fast)',
  contained: false,
  unavailable: unavailable(pgUrl),
  inject: async ({ log }) => {
    log('pg_ctlcluster restart -m fast');
    await pgCtl(pgUrl(), 'restart');
  },
});

/**
 * PostgreSQL stopped for longer than the short retry budgets (a pool's connect, a client's request, a
 * saga step's single attempt): what must carry the work across is what retries for good (saga steps,
 * the outbox relay, consumers for AMQP_RETRY_FOR_HOURS).
 */
export const postgresAway = (pgUrl: () => string): Scenario => ({
  name: 'postgres-away',
  summary: 'PostgreSQL stopped for minutes, longer than the short retry budgets, then started',
  contained: false,
  unavailable: unavailable(pgUrl),
  inject: async ({ timing, log }) => {
    log(`pg_ctlcluster stop -m fast; start in ${timing.longOutageMs / 1000} s`);
    await pgCtl(pgUrl(), 'stop');
    try {
      await new Promise((resolve) => setTimeout(resolve, timing.longOutageMs));
    } finally {
      await pgCtl(pgUrl(), 'start');
    }
  },
});
