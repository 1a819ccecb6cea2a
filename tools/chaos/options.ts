import { parseArgs } from 'node:util';

export interface ChaosOptions {
  /** Seconds of load after each recovery, before the next fault. */
  windowS: number;
  /** When given, the load time of the whole run, shared out as the windows of its scenarios (at least 2 s each). */
  durationS?: number;
  /** How long a short fault lasts (a process down, the broker stopped), in seconds. */
  outageS: number;
  /** How long PostgreSQL stays away in postgres-away: past every retry budget. */
  longOutageS: number;
  warmupS: number;
  /** Requests per second of the load, open model. */
  rate: number;
  drainTimeoutS: number;
  /** Scenarios to run alone (names or prefixes: kill- runs every kill). */
  only: string[];
  skip: string[];
  /** Only the scenarios that leave the shared RabbitMQ and PostgreSQL alone. */
  contained: boolean;
  outDir: string;
}

export const usage = `npm run chaos -- [options]
  --quick                  every scenario, short windows (under 10 minutes on 2 cores)
  --window <s>             load after each recovery before the next fault (30; quick 8)
  --duration <s>           instead of --window: the run's load time, shared out over its scenarios
  --outage <s>             how long a killed process or the stopped broker stays down (10; quick 3)
  --long-outage <s>        how long PostgreSQL stays away in postgres-away (150; quick 125)
  --warmup <s>             load before the first fault (20; quick 8)
  --rate <req/s>           the load's arrival rate, open model (4; quick 3)
  --drain-timeout <s>      how long the system may take to settle at the end (300)
  --only <names>           run these scenarios alone (comma-separated; a prefix such as kill- matches several)
  --skip <names>           leave these out, said in the report (comma-separated, prefixes too)
  --contained              only scenarios that leave the shared RabbitMQ and PostgreSQL alone
  --list                   print the scenarios and exit
  --out <dir>              where the report goes (chaos-results)`;

const positive = (name: string, text: string): number => {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, not ${text}`);
  return value;
};

const names = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);

export function parseOptions(argv: string[]): ChaosOptions & { help: boolean; list: boolean } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      window: { type: 'string' },
      duration: { type: 'string' },
      outage: { type: 'string' },
      'long-outage': { type: 'string' },
      warmup: { type: 'string' },
      rate: { type: 'string' },
      'drain-timeout': { type: 'string' },
      only: { type: 'string' },
      skip: { type: 'string' },
      contained: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      out: { type: 'string', default: 'chaos-results' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const quick = values.quick;
  const number = (name: keyof typeof values, full: number, short: number) =>
    values[name] === undefined ? (quick ? short : full) : positive(name, String(values[name]));
  return {
    windowS: number('window', 30, 8),
    ...(values.duration === undefined ? {} : { durationS: positive('duration', values.duration) }),
    outageS: number('outage', 10, 3),
    longOutageS: number('long-outage', 150, 125),
    warmupS: number('warmup', 20, 8),
    rate: number('rate', 4, 3),
    drainTimeoutS: number('drain-timeout', 300, 300),
    only: names(values.only),
    skip: names(values.skip),
    contained: values.contained,
    outDir: values.out,
    help: values.help,
    list: values.list,
  };
}
