/**
 * `npm run --silent instance -- <service> <n>`: one more instance of a
 * service beside a running `npm start`, e.g. `instance -- scheduling 3`.
 * It makes what the instance needs as the setup logins (its queue with its
 * DLQ, its read database owned by the service's role), then runs it in the
 * foreground with its own broker user and database role, on its default port
 * (3300 + n for scheduling). Its read model starts empty: it replays the
 * event history, then takes its queue, and /ready says ready once it has.
 * The gateway knows the instances it started with; ask this one directly.
 */
import { spawn } from 'node:child_process';
import { loadConfig } from '../../libraries/config/env';
import { serviceNames, serviceRegistry, type ServiceName } from '../../libraries/config/services';
import { setUpAccess } from '../launcher/launch';
import { defaultPlanOptions, systemPlan } from '../launcher/plan';
import { urlAs } from '../toolchain/broker-users';
import { pgUrlAs } from '../toolchain/postgres-roles';
import { instanceQueue, sagaQueues } from '../../libraries/messaging/topology';
import { PrerequisiteError } from '../toolchain/prerequisites';

const usage = `usage: npm run --silent instance -- <${serviceNames.join('|')}> <instance number>`;
function fail(message: string): never {
  console.error(`✗ ${message}\n${usage}`);
  process.exit(2);
}

const [service, number, ...rest] = process.argv.slice(2);
if (!service || !(serviceNames as readonly string[]).includes(service))
  fail(service ? `unknown service "${service}"` : 'say which service');
const n = Number(number);
if (!Number.isInteger(n) || n < 1 || rest.length > 0) fail('say which instance, as a whole number (3 for instance-3)');
const name = service as ServiceName;
const instanceId = `instance-${n}`;

const config = loadConfig();
const step = (line: string) => console.error(`• ${line}`);
try {
  const { users, roles } = await setUpAccess(config, {
    queues: [...sagaQueues(), instanceQueue(serviceRegistry[name].source, instanceId)],
    databases: [{ service: name, instanceIds: [instanceId] }],
    progress: step,
  });
  const plan = systemPlan(config, {
    ...defaultPlanOptions,
    instances: n,
    amqpUrl: (principal) => urlAs(config.AMQP_URL, users.principals[principal]),
    pgUrl: (principal) => pgUrlAs(config.PG_URL, roles[principal]),
  });
  const spec = plan.find((candidate) => candidate.name === `${name}-${n}`)!;
  step(`starting ${spec.name} at ${spec.url} (Ctrl-C stops it)`);
  const child = spawn(process.execPath, ['--import', 'tsx', spec.entry], { env: { ...process.env, ...spec.env }, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} catch (error) {
  console.error(error instanceof PrerequisiteError ? `✗ ${error.message}` : error);
  process.exit(1);
}
