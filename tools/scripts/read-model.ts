/**
 * `npm run --silent read-model -- status [--json] [--instances N] [--host H]`:
 * every service instance's read-model lag, from its /ready (which needs no
 * token): the last event applied and when, what waits in its queue, and how
 * far behind that makes it. An instance that does not answer says so.
 *
 * `npm run --silent read-model -- rebuild <service> <instance-N>`: empties
 * that instance's read model and rebuilds it from the event history
 * (POST /admin/read-model/rebuild, as the admin: a development-issuer token,
 * or HAP_ADMIN_TOKEN), then waits until its /ready says it is current. The
 * other instances keep serving meanwhile.
 */
import { parseArgs } from 'node:util';
import { defaultInstances, defaultPort, serviceNames, type ServiceName } from '../../libraries/config/services';
import { devToken } from '../../libraries/auth/dev-issuer';
import { loadConfig } from '../../libraries/config/env';
import { formatTable } from '../harness/table';
import type { ReadModelLagReport } from '../../libraries/runtime/read-model-lag';

const usage = `usage: npm run --silent read-model -- status [--json] [--instances N] [--host H]
       npm run --silent read-model -- rebuild <${serviceNames.join('|')}> <instance-N> [--host H]
  --instances N   how many instances of each service to ask (${defaultInstances})
  --host H        where they listen (127.0.0.1)`;

function fail(message: string): never {
  console.error(`✗ ${message}\n${usage}`);
  process.exit(2);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        instances: { type: 'string', default: String(defaultInstances) },
        host: { type: 'string', default: '127.0.0.1' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();
const [command, ...args] = positionals;
if (command === 'rebuild') await rebuild(args);
if (command !== 'status' || args.length > 0) fail(command ? `unknown command "${positionals.join(' ')}"` : 'say what to do');
const instances = Number(values.instances);
if (!Number.isInteger(instances) || instances < 1) fail('--instances must be a whole number, 1 or more');

type Lag = ReadModelLagReport;
type Row = { service: ServiceName; instance: string; url: string; status: string; readModel: Lag | null };

async function ask(service: ServiceName, n: number): Promise<Row> {
  const url = `http://${values.host}:${defaultPort(service, n)}`;
  const row = { service, instance: `instance-${n}`, url };
  try {
    const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(3000) });
    const body = (await response.json()) as { status: string; readModel?: Lag };
    return { ...row, status: body.status, readModel: body.readModel ?? null };
  } catch (error) {
    return { ...row, status: `not answering (${(error as Error).message})`, readModel: null };
  }
}

const rows = await Promise.all(serviceNames.flatMap((service) => Array.from({ length: instances }, (_, i) => ask(service, i + 1))));
if (values.json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log(
    formatTable(
      rows.map(({ service, instance, status, readModel }) => ({
        instance: `${service} ${instance}`,
        status,
        waiting: readModel?.waiting ?? '-',
        'behind (s)': readModel?.secondsBehind ?? '-',
        'last event': readModel?.lastEventType ?? '-',
        'last event at': readModel?.lastEventAt ?? '-',
      })),
    ),
  );
}
process.exit(rows.every((row) => row.readModel !== null) ? 0 : 1);

async function rebuild([service, instance, ...rest]: string[]): Promise<never> {
  if (!service || !(serviceNames as readonly string[]).includes(service))
    fail(service ? `unknown service "${service}"` : 'say which service');
  const n = Number(/^instance-(\d+)$/.exec(instance ?? '')?.[1]);
  if (!Number.isInteger(n) || n < 1 || rest.length > 0) fail('say which instance: instance-1, instance-2, …');
  const url = `http://${values.host}:${defaultPort(service as ServiceName, n)}`;
  const started = Date.now();
  const response = await fetch(`${url}/admin/read-model/rebuild`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await adminToken()}` },
    signal: AbortSignal.timeout(30_000),
  }).catch((error: unknown) => fail(`${service} ${instance} does not answer at ${url} (${(error as Error).message})`));
  if (response.status !== 202) {
    console.error(`✗ ${service} ${instance} refused the rebuild: ${response.status} ${await response.text()}`);
    process.exit(1);
  }
  console.error(`• ${service} ${instance}: read model emptied, replaying the event history…`);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ready = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(3000) }).catch(() => undefined);
    const body = (await ready?.json().catch(() => undefined)) as { checks?: Record<string, string>; readModel?: Lag } | undefined;
    if (ready?.status === 200 && body?.checks?.readModel === 'ok') {
      console.log(
        `✓ ${service} ${instance} rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s; last event ${body.readModel?.lastEventType ?? '-'} at ${body.readModel?.lastEventAt ?? '-'}`,
      );
      process.exit(0);
    }
  }
}

/** HAP_ADMIN_TOKEN, or one from the development issuer that npm start's processes trust. */
async function adminToken(): Promise<string> {
  if (process.env.HAP_ADMIN_TOKEN) return process.env.HAP_ADMIN_TOKEN;
  const config = loadConfig();
  if (config.AUTH_JWKS_URL) fail('AUTH_JWKS_URL is set: give an admin token of that issuer in HAP_ADMIN_TOKEN');
  return devToken(config, { role: 'admin', subject: 'dev-admin', expiresInSeconds: 300 });
}
