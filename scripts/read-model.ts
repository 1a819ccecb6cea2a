/**
 * `npm run --silent read-model -- status [--json] [--instances N] [--host H]`:
 * every service instance's read-model lag, from its /ready (which needs no
 * token): the last event applied and when, what waits in its queue, and how
 * far behind that makes it. An instance that does not answer says so.
 */
import { parseArgs } from 'node:util';
import { defaultInstances, defaultPort, serviceNames, type ServiceName } from '../config/services';
import { formatTable } from '../harness/table';

const usage = `usage: npm run --silent read-model -- status [--json] [--instances N] [--host H]
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
if (positionals[0] !== 'status' || positionals.length !== 1)
  fail(positionals[0] ? `unknown command "${positionals.join(' ')}"` : 'say what to do');
const instances = Number(values.instances);
if (!Number.isInteger(instances) || instances < 1) fail('--instances must be a whole number, 1 or more');

interface Lag {
  lastEventId: string | null;
  lastEventType: string | null;
  lastEventAt: string | null;
  lastAppliedAt: string | null;
  waiting: number;
  secondsBehind: number;
}
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
