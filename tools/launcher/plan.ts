import type { BrokerPrincipal } from '../../libraries/config/broker-principals';
import { toEnv, type Config } from '../../libraries/config/env';
import type { DatabasePrincipal } from '../toolchain/postgres-roles';
import {
  defaultInstances,
  defaultPort,
  gatewayUrlsKey,
  processPorts,
  serviceEntry,
  serviceNames,
  type ServiceName,
} from '../../libraries/config/services';

export interface ProcessSpec {
  /** Short name shown in output and logs: patients-1, gateway, worker… */
  name: string;
  entry: string;
  env: Record<string, string>;
  /** Where the process answers GET /health and /ready, once up. */
  url: string;
}

export interface PlanOptions {
  instances: number;
  /** The port of a process: docs/api.md §1's defaults unless a test asks for others. */
  port: (process: ServiceName | 'gateway', instance: number) => number;
  bridgePort: number;
  workerPort: number;
  /** Each process's own broker login (tools/toolchain/broker-users.ts); unset, every process gets the launcher's AMQP_URL. */
  amqpUrl?: (principal: BrokerPrincipal) => string;
  /** Each process's own database role (tools/toolchain/postgres-roles.ts); unset, the launcher's PG_URL. */
  pgUrl?: (principal: DatabasePrincipal) => string;
}

export const defaultPlanOptions: PlanOptions = {
  instances: defaultInstances,
  port: defaultPort,
  bridgePort: processPorts.bridge,
  workerPort: processPorts.worker,
};

/**
 * Every HAP process with its own environment: N instances of each service of
 * the registry, the saga worker, the bridge and the gateway pointed at the
 * instances. The shared settings come from the launcher's own configuration.
 */
export function systemPlan(config: Config, options: PlanOptions = defaultPlanOptions): ProcessSpec[] {
  const shared = sharedEnv(config);
  const broker = (principal: BrokerPrincipal): Record<string, string> => (options.amqpUrl ? { AMQP_URL: options.amqpUrl(principal) } : {});
  const database = (principal: DatabasePrincipal): Record<string, string> => (options.pgUrl ? { PG_URL: options.pgUrl(principal) } : {});
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const specs: ProcessSpec[] = [];
  const upstreams: Record<string, string> = {};
  for (const service of serviceNames) {
    const urls: string[] = [];
    for (let n = 1; n <= options.instances; n++) {
      const port = options.port(service, n);
      urls.push(url(port));
      const env = { ...shared, ...broker(service), ...database(service), INSTANCE_ID: `instance-${n}`, PORT: String(port) };
      specs.push({ name: `${service}-${n}`, entry: serviceEntry(service), env, url: url(port) });
    }
    upstreams[gatewayUrlsKey(service)] = urls.join(',');
  }
  const single = (name: string, entry: string, port: number, env: Record<string, string> = {}): ProcessSpec => ({
    name,
    entry,
    env: { ...shared, INSTANCE_ID: 'instance-1', PORT: String(port), ...env },
    url: url(port),
  });
  specs.push(single('worker', 'worker/main.ts', options.workerPort, { ...broker('worker'), ...database('worker') }));
  specs.push(single('bridge', 'bridge/main.ts', options.bridgePort, broker('bridge')));
  specs.push(
    single('gateway', 'gateway/main.ts', options.port('gateway', 1), {
      ...upstreams,
      GATEWAY_SAGA_URLS: [url(options.workerPort), url(options.bridgePort)].join(','),
    }),
  );
  return specs;
}

/**
 * The settings every process shares, as environment variables: the whole
 * configuration but what is each process's own (its instance, its port, the
 * gateway's instance lists), so a new setting reaches every process without
 * an edit here. The launcher's processes listen on localhost only.
 */
function sharedEnv(config: Config): Record<string, string> {
  const own = new Set<string>(['INSTANCE_ID', 'PORT', 'GATEWAY_SAGA_URLS', ...serviceNames.map(gatewayUrlsKey)]);
  const shared = Object.fromEntries(Object.entries(config).filter(([key]) => !own.has(key)));
  return { ...toEnv(shared), HTTP_HOST: '127.0.0.1' };
}
