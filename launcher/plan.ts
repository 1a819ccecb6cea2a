import { basePorts, type Config } from '../config/env';

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
  specs.push({ name: 'worker', entry: 'worker/main.ts', env: { ...shared, INSTANCE_ID: 'instance-1', PORT: String(options.workerPort) }, url: url(options.workerPort) });
  specs.push({ name: 'bridge', entry: 'bridge/main.ts', env: { ...shared, INSTANCE_ID: 'instance-1', PORT: String(options.bridgePort) }, url: url(options.bridgePort) });
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

/** The settings every process shares, as environment variables. */
function sharedEnv(config: Config): Record<string, string> {
  return {
    AMQP_URL: config.AMQP_URL,
    AMQP_PREFETCH: String(config.AMQP_PREFETCH),
    AMQP_RETRY_DELAYS_MS: config.AMQP_RETRY_DELAYS_MS.join(','),
    AMQP_RETRY_FOR_HOURS: String(config.AMQP_RETRY_FOR_HOURS),
    ...(config.AMQP_MAX_RETRIES === undefined ? {} : { AMQP_MAX_RETRIES: String(config.AMQP_MAX_RETRIES) }),
    INBOX_RETENTION_HOURS: String(config.INBOX_RETENTION_HOURS),
    RETENTION_SWEEP_INTERVAL_MS: String(config.RETENTION_SWEEP_INTERVAL_MS),
    AMQP_PUBLISH_TIMEOUT_MS: String(config.AMQP_PUBLISH_TIMEOUT_MS),
    PG_URL: config.PG_URL,
    DB_PREFIX: config.DB_PREFIX,
    PG_POOL_MAX: String(config.PG_POOL_MAX),
    PG_CONNECT_TIMEOUT_MS: String(config.PG_CONNECT_TIMEOUT_MS),
    PG_STATEMENT_TIMEOUT_MS: String(config.PG_STATEMENT_TIMEOUT_MS),
    PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: String(config.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS),
    SLOT_HOLD_TIMEOUT_MS: String(config.SLOT_HOLD_TIMEOUT_MS),
    SLOT_EXPIRY_INTERVAL_MS: String(config.SLOT_EXPIRY_INTERVAL_MS),
    BOOKING_HORIZON_DAYS: String(config.BOOKING_HORIZON_DAYS),
    OUTBOX_POLL_INTERVAL_MS: String(config.OUTBOX_POLL_INTERVAL_MS),
    OUTBOX_BATCH_SIZE: String(config.OUTBOX_BATCH_SIZE),
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
    HTTP_HOST: '127.0.0.1',
    HTTP_MAX_BODY_BYTES: String(config.HTTP_MAX_BODY_BYTES),
    LOG_LEVEL: config.LOG_LEVEL,
  };
}
