import { parseArgs } from 'node:util';
import { defaultInstances } from '../../libraries/config/services';

export interface BenchOptions {
  durationS: number;
  rate: number;
  step: boolean;
  stepRates: number[];
  stepDurationS: number;
  attach: string | undefined;
  /** Instances of each service the launched HAP runs (npm start's by default). */
  instances: number;
  schedulingUrls: string[];
  cancelFraction: number;
  /** Book with `Prefer: wait=<s>` and time the synchronous answer too; undefined: plain 202 bookings. */
  preferWaitS: number | undefined;
  drainTimeoutS: number;
  warmupS: number;
  /** The read model is asked again this often after an event until it shows it. */
  confirmRetryMs: number;
  /** A saga no event settled for this long is looked up on its own. */
  lookupAfterMs: number;
  /** The broker login the observer hears the system's events with, when attached (launched: the run's vhost). */
  amqpUrl: string | undefined;
  patients: number;
  ceiling: boolean;
  ceilingDurationS: number;
  ceilingConcurrency: number;
  broker: boolean;
  brokerMessages: number;
  temporalStorage: 'file' | 'memory';
  sqlitePragmas: string[];
  dynamicConfig: string[];
  /** Settings for the launched processes (KEY=VALUE, as libraries/config/env.ts reads them). */
  env: Record<string, string>;
  outDir: string;
}

export const usage = `npm run bench -- [options]
  --duration <s>            measured window (30)
  --rate <sagas/s>          constant arrival rate, open model (10)
  --step                    step mode: raise the rate until p99 > 1 s or a backlog grows
  --step-rates <list>       rates of step mode (2,4,6,8,10,12,14,16,18,20,25,30,40,50)
  --step-duration <s>       window per step (15)
  --attach <gateway url>    drive a running HAP instead of launching one
  --instances <n>           instances of each service in the launched HAP (${defaultInstances}, as npm start)
  --scheduling <urls>       scheduling instances to poll when attached (http://127.0.0.1:3301,http://127.0.0.1:3302)
  --mix-cancel <fraction>   cancel this fraction of the consultations once SCHEDULED (0)
  --prefer-wait <s>         book with Prefer: wait=<s>: times the synchronous answer (201) beside the read model's
  --drain-timeout <s>       wait this long after the window for the last sagas (30)
  --warmup <s>              unmeasured sagas first, at the (first) rate, so JIT and pools are warm (5; 0 for none)
  --confirm-retry <ms>      after a saga's settling event, its read model is asked again this often until it shows it (20)
  --lookup-after <ms>       a saga no event settled for this long is looked up on its own (2000)
  --amqp <url>              when attached: the broker, on HAP's vhost, whose events the observer hears (AMQP_URL)
  --no-ceiling, --no-broker skip the workflow ceilings or the broker rates
  --ceiling-duration <s>    each ceiling measurement (10, after 3 s of warm-up)
  --ceiling-concurrency <n> ceiling workflows in flight (32)
  --broker-messages <n>     messages per broker measurement (5000)
  --temporal-db memory|file the bench's dev server keeps SQLite in memory, or in a file as npm start does (memory)
  --sqlite-pragma <p=v>     extra start-dev --sqlite-pragma (repeatable)
  --dynamic-config <k=v>    extra start-dev --dynamic-config-value (repeatable)
  --env <KEY=VALUE>         setting for the launched processes, e.g. AMQP_PREFETCH=64 (repeatable)
  --out <dir>               where results go (bench-results)`;

const positive = (name: string, text: string, integer = false): number => {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}, not ${text}`);
  return value;
};

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '30' },
      rate: { type: 'string', default: '10' },
      step: { type: 'boolean', default: false },
      'step-rates': { type: 'string', default: '2,4,6,8,10,12,14,16,18,20,25,30,40,50' },
      'step-duration': { type: 'string', default: '15' },
      attach: { type: 'string' },
      instances: { type: 'string', default: String(defaultInstances) },
      scheduling: { type: 'string', default: 'http://127.0.0.1:3301,http://127.0.0.1:3302' },
      'mix-cancel': { type: 'string', default: '0' },
      'prefer-wait': { type: 'string' },
      'drain-timeout': { type: 'string', default: '30' },
      warmup: { type: 'string', default: '5' },
      'confirm-retry': { type: 'string', default: '20' },
      'lookup-after': { type: 'string', default: '2000' },
      amqp: { type: 'string' },
      patients: { type: 'string', default: '20' },
      'no-ceiling': { type: 'boolean', default: false },
      'ceiling-duration': { type: 'string', default: '10' },
      'ceiling-concurrency': { type: 'string', default: '32' },
      'no-broker': { type: 'boolean', default: false },
      'broker-messages': { type: 'string', default: '5000' },
      'temporal-db': { type: 'string', default: 'memory' },
      'sqlite-pragma': { type: 'string', multiple: true, default: [] },
      'dynamic-config': { type: 'string', multiple: true, default: [] },
      env: { type: 'string', multiple: true, default: [] },
      out: { type: 'string', default: 'bench-results' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const cancelFraction = Number(values['mix-cancel']);
  if (!(cancelFraction >= 0 && cancelFraction <= 1)) throw new Error(`--mix-cancel must be between 0 and 1, not ${values['mix-cancel']}`);
  if (values['temporal-db'] !== 'file' && values['temporal-db'] !== 'memory')
    throw new Error(`--temporal-db is file or memory, not ${values['temporal-db']}`);
  const env: Record<string, string> = {};
  for (const pair of values.env) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!match) throw new Error(`--env takes KEY=VALUE, not ${pair}`);
    env[match[1]!] = match[2]!;
  }
  return {
    durationS: positive('duration', values.duration),
    rate: positive('rate', values.rate),
    step: values.step,
    stepRates: values['step-rates'].split(',').map((rate) => positive('step-rates', rate.trim())),
    stepDurationS: positive('step-duration', values['step-duration']),
    attach: values.attach?.replace(/\/+$/, ''),
    instances: positive('instances', values.instances, true),
    schedulingUrls: values.scheduling
      .split(',')
      .map((url) => url.trim().replace(/\/+$/, ''))
      .filter(Boolean),
    cancelFraction,
    preferWaitS: values['prefer-wait'] === undefined ? undefined : positive('prefer-wait', values['prefer-wait'], true),
    drainTimeoutS: positive('drain-timeout', values['drain-timeout']),
    warmupS: values.warmup === '0' ? 0 : positive('warmup', values.warmup),
    confirmRetryMs: positive('confirm-retry', values['confirm-retry']),
    lookupAfterMs: positive('lookup-after', values['lookup-after']),
    amqpUrl: values.amqp,
    patients: positive('patients', values.patients, true),
    ceiling: !values['no-ceiling'],
    ceilingDurationS: positive('ceiling-duration', values['ceiling-duration']),
    ceilingConcurrency: positive('ceiling-concurrency', values['ceiling-concurrency'], true),
    broker: !values['no-broker'],
    brokerMessages: positive('broker-messages', values['broker-messages'], true),
    temporalStorage: values['temporal-db'],
    sqlitePragmas: values['sqlite-pragma'],
    dynamicConfig: values['dynamic-config'],
    env,
    outDir: values.out,
  };
}
