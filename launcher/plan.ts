import { basePorts, toEnv, type Config } from '../config/env';

export interface ProcessSpec {
  /** Short name shown in output and logs: patients-1, gateway, worker… */
  name: string;
  entry: string;
  env: Record<string, string>;
  /** Where the process answers GET /health and /ready, once up. */
  url: string;
}

export type Family = Exclude<keyof typeof basePorts, 'gateway'>;
const families: { family: Family; entry: string }[] = [
  { family: 'patients', entry: 'services/patients/main.ts' },
  { family: 'physicians', entry: 'services/physicians/main.ts' },
  { family: 'records', entry: 'services/records/main.ts' },
  { family: 'scheduling', entry: 'services/scheduling/main.ts' },
];

export interface PlanOptions {
  instances: number;
  /** The port of a process: docs/api.md §1's defaults unless a test asks for others. */
  port: (family: keyof typeof basePorts, instance: number) => number;
  bridgePort: number;
  workerPort: number;
}

export const defaultPlanOptions: PlanOptions = {
  instances: 2,
  port: (family, instance) => basePorts[family] + (family === 'gateway' ? 0 : instance),
  bridgePort: 3010,
  workerPort: 3020,
};

/**
 * Every HAP process with its own environment: N instances of each service,
 * the saga worker, the bridge and the gateway pointed at the instances.
 * The shared settings come from the launcher's own configuration.
 */
export function systemPlan(config: Config, options: PlanOptions = defaultPlanOptions): ProcessSpec[] {
  const shared = sharedEnv(config);
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const specs: ProcessSpec[] = [];
  const instanceUrls: Record<Family, string[]> = { patients: [], physicians: [], records: [], scheduling: [] };
  for (const { family, entry } of families) {
    for (let n = 1; n <= options.instances; n++) {
      const port = options.port(family, n);
      instanceUrls[family].push(url(port));
      specs.push({ name: `${family}-${n}`, entry, env: { ...shared, INSTANCE_ID: `instance-${n}`, PORT: String(port) }, url: url(port) });
    }
  }
  specs.push({
    name: 'worker',
    entry: 'worker/main.ts',
    env: { ...shared, INSTANCE_ID: 'instance-1', PORT: String(options.workerPort) },
    url: url(options.workerPort),
  });
  specs.push({
    name: 'bridge',
    entry: 'bridge/main.ts',
    env: { ...shared, INSTANCE_ID: 'instance-1', PORT: String(options.bridgePort) },
    url: url(options.bridgePort),
  });
  const gatewayPort = options.port('gateway', 1);
  specs.push({
    name: 'gateway',
    entry: 'gateway/main.ts',
    env: {
      ...shared,
      INSTANCE_ID: 'instance-1',
      PORT: String(gatewayPort),
      GATEWAY_PATIENTS_URLS: instanceUrls.patients.join(','),
      GATEWAY_PHYSICIANS_URLS: instanceUrls.physicians.join(','),
      GATEWAY_SCHEDULING_URLS: instanceUrls.scheduling.join(','),
      GATEWAY_RECORDS_URLS: instanceUrls.records.join(','),
    },
    url: url(gatewayPort),
  });
  return specs;
}

/**
 * The settings every process shares, as environment variables: the whole
 * configuration but what is each process's own (its instance, its port, the
 * gateway's instance lists), so a new setting reaches every process without
 * an edit here. The launcher's processes listen on localhost only.
 */
function sharedEnv(config: Config): Record<string, string> {
  const {
    INSTANCE_ID: _instance,
    PORT: _port,
    GATEWAY_PATIENTS_URLS: _p,
    GATEWAY_PHYSICIANS_URLS: _d,
    GATEWAY_SCHEDULING_URLS: _s,
    GATEWAY_RECORDS_URLS: _r,
    ...shared
  } = config;
  return { ...toEnv(shared), HTTP_HOST: '127.0.0.1' };
}
