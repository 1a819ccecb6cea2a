import { z } from 'zod';
import {
  defaultInstances,
  defaultPort,
  gatewayUrlsKey,
  instanceNumber,
  serviceNames,
  type GatewayUrlsKey,
  type HapProcess,
  type ServiceName,
  processPorts,
} from './services';
import { temporalConfig } from '../../temporal.config';
import type { AuthSettings } from '../auth/verifier';

const integer = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const millisList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const values = text.split(',').map((part) => Number(part.trim()));
      if (values.length === 0 || values.some((value) => !Number.isInteger(value) || value <= 0)) {
        ctx.addIssue({ code: 'custom', message: 'expected a comma-separated list of positive integers (milliseconds)' });
        return z.NEVER;
      }
      return values;
    });

const urlList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const urls = text
        .split(',')
        .map((part) => part.trim().replace(/\/+$/, ''))
        .filter(Boolean);
      if (urls.length === 0 || urls.some((url) => !/^https?:\/\/[^/\s]+$/.test(url))) {
        ctx.addIssue({ code: 'custom', message: 'expected comma-separated base URLs like http://host:port' });
        return z.NEVER;
      }
      return urls;
    });

/**
 * Where the gateway finds each service of the registry: GATEWAY_<NAME>_URLS,
 * comma-separated instance base URLs, by default the two instances at
 * docs/api.md §1's ports.
 */
function gatewayUrlSettings() {
  const instances = Array.from({ length: defaultInstances }, (_, i) => i + 1);
  const defaults = (name: ServiceName) => instances.map((n) => `http://127.0.0.1:${defaultPort(name, n)}`).join(',');
  return Object.fromEntries(serviceNames.map((name) => [gatewayUrlsKey(name), urlList(defaults(name))])) as Record<
    GatewayUrlsKey,
    ReturnType<typeof urlList>
  >;
}

/**
 * Every setting of every HAP process, read from environment variables with
 * defaults that work on a developer machine (RabbitMQ and PostgreSQL on
 * localhost). Nothing else in the code reads process.env.
 */
export const envSchema = z.object({
  /** Broker URL, vhost included (amqp://user:pass@host:port/vhost). */
  AMQP_URL: z.string().default('amqp://guest:guest@127.0.0.1:5672'),
  /**
   * The broker users are `<prefix>-<principal>` (libraries/config/broker-principals.ts):
   * a consumer takes an event only from the user the catalog names as its
   * sender, by the AMQP user_id RabbitMQ validates.
   */
  AMQP_USER_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -')
    .default('hap'),
  /** Unacked deliveries per consumer channel. */
  AMQP_PREFETCH: integer(32),
  /**
   * Delay before each retry of a recoverable failure, growing to a cap: the
   * last one repeats. Each value is a delay queue of its own (hap.retry.<ms>ms).
   */
  AMQP_RETRY_DELAYS_MS: millisList('1000,5000,30000,60000,300000'),
  /**
   * How long a recoverable failure is retried before it is dead-lettered,
   * counted from its first failure. A database or broker outage must never
   * cost a message, least of all a compensation (a slot release), so this
   * outlasts any outage an operator would let run: three days by default.
   */
  AMQP_RETRY_FOR_HOURS: z.coerce.number().positive().default(72),
  /** An optional cap on the number of retries as well (tests use it); unset, only AMQP_RETRY_FOR_HOURS counts. */
  AMQP_MAX_RETRIES: z.coerce.number().int().nonnegative().optional(),
  /**
   * How long a consumer's inbox remembers an applied event id. It must outlast
   * the longest redelivery (AMQP_RETRY_FOR_HOURS), or a late duplicate would be
   * applied twice.
   */
  INBOX_RETENTION_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 7),
  /**
   * How long a service keeps the answer to an Idempotency-Key: a client
   * retrying later than this runs the command again.
   */
  IDEMPOTENCY_RETENTION_HOURS: z.coerce.number().positive().default(48),
  /** How often each instance prunes what outlived its retention (inbox ids, idempotency keys). */
  RETENTION_SWEEP_INTERVAL_MS: integer(60 * 60_000),
  /** How long a publish may wait for the broker's confirm (also while reconnecting). */
  AMQP_PUBLISH_TIMEOUT_MS: integer(15_000),

  /** PostgreSQL server URL without a database; each service appends its own. */
  PG_URL: z.string().default('postgres://postgres@127.0.0.1:5432'),
  /** Prefix of every database name, so that several HAP stacks (or test runs) share one server. */
  DB_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'lowercase letters, digits and _')
    .default('hap'),
  /**
   * Connections per pool. Every service instance has two (write and read), so
   * the whole system holds about 70 at 4; at 10 a busy system ran into
   * PostgreSQL's default max_connections of 100 ("too many clients already").
   */
  PG_POOL_MAX: integer(4),
  /** How long taking a connection from a pool may wait; after it the call fails having sent nothing. */
  PG_CONNECT_TIMEOUT_MS: integer(10_000),
  /** PostgreSQL's statement_timeout for every pooled session: no query holds a request or a delivery for good. */
  PG_STATEMENT_TIMEOUT_MS: integer(30_000),
  /** idle_in_transaction_session_timeout: a client hung inside a transaction loses it, and its locks, after this. */
  PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: integer(60_000),

  OUTBOX_POLL_INTERVAL_MS: integer(1000),
  OUTBOX_BATCH_SIZE: integer(200),
  /** An instance whose read model is empty replays the history stream first; the replay ends once nothing came for this long. */
  HISTORY_REPLAY_IDLE_MS: integer(1000),
  /** The longest `Prefer: wait=<seconds>` a booking or a cancellation is held for its saga's outcome; a longer wish is cut to it. */
  PREFER_WAIT_MAX_SECONDS: integer(30),
  /** How long a request carrying a Consistency-Token waits for this instance to catch up with it before a 503 sends it elsewhere. */
  CONSISTENCY_WAIT_MS: integer(2000),

  /**
   * A HELD slot that is neither confirmed nor released within this long is
   * released by physicians itself: the backstop for a compensation that never
   * arrives. Saga 1 gives up on its replies after its deadline, so by default
   * this is that deadline plus ten minutes.
   */
  SLOT_HOLD_TIMEOUT_MS: integer(temporalConfig.scheduling.replyDeadline + 10 * 60_000),
  /** How often physicians looks for expired holds. */
  SLOT_EXPIRY_INTERVAL_MS: integer(30_000),
  /** How far ahead a consultation may be booked: POST /consultations refuses a later startsAt with a 400. Two years by default. */
  BOOKING_HORIZON_DAYS: z.coerce.number().int().positive().default(730),

  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  /** Task queue of the saga worker; its default lives in temporal.config.ts. */
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(temporalConfig.taskQueue),
  TEMPORAL_UI_PORT: z.coerce.number().int().positive().default(8233),
  /** Where the saga worker loads its workflow code: unset, workflows/ of this checkout; a deploy of new workflow code points it at the new build. */
  WORKER_WORKFLOWS_PATH: z.string().min(1).optional(),

  /** Which instance of its service this process is (instance-1, instance-2, …). */
  INSTANCE_ID: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and -')
    .default('instance-1'),
  /** HTTP port; by default the service's base port plus the instance number (docs/api.md §1). */
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_MAX_BODY_BYTES: integer(64 * 1024),

  ...gatewayUrlSettings(),
  /** How long the gateway waits for an instance before trying the next one. */
  GATEWAY_UPSTREAM_TIMEOUT_MS: integer(10_000),
  /**
   * The processes every saga needs besides the instances (the worker and the
   * bridge): the gateway is ready only when each answers its /ready, so a
   * booking placed the moment it says ready completes.
   */
  GATEWAY_SAGA_URLS: urlList(`http://127.0.0.1:${processPorts.worker},http://127.0.0.1:${processPorts.bridge}`),

  /** The `iss` every token must carry: the OpenID provider's issuer URL in production. */
  AUTH_ISSUER: z.string().min(1).default('hap-dev'),
  /** The `aud` every token must carry: HAP's client or API id at the provider. */
  AUTH_AUDIENCE: z.string().min(1).default('hap'),
  /** The provider's JWKS (…/.well-known/jwks.json, or its jwks_uri). Unset: the local development issuer's key (AUTH_DEV_KEY_FILE). */
  AUTH_JWKS_URL: z.url().optional(),
  /** The claim that carries HAP's roles; a dotted path for a nested one (Keycloak: realm_access.roles). */
  AUTH_ROLES_CLAIM: z.string().min(1).default('roles'),
  /** The development issuer's signing key, made on first use; relative paths are from the working directory. */
  AUTH_DEV_KEY_FILE: z.string().min(1).default('.data/auth/dev-issuer-key.json'),

  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {}

/** Reads configuration from an environment (process.env by default), naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = result.data;
  if (config.INBOX_RETENTION_HOURS <= config.AMQP_RETRY_FOR_HOURS) {
    throw new ConfigError(
      `invalid configuration:\n  INBOX_RETENTION_HOURS (${config.INBOX_RETENTION_HOURS}) must exceed AMQP_RETRY_FOR_HOURS (${config.AMQP_RETRY_FOR_HOURS}): a redelivery must find its event id`,
    );
  }
  return config;
}

/**
 * The environment variables that reproduce a configuration, for a child
 * process: lists joined with commas, unset values left out. loadConfig of the
 * result gives the same configuration back.
 */
export function toEnv(config: Partial<Record<keyof Config, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : String(value)]),
  );
}

/** Where this process takes its tokens from (libraries/auth/verifier.ts). */
export function authSettings(config: Config): AuthSettings {
  return {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    jwksUrl: config.AUTH_JWKS_URL,
    rolesClaim: config.AUTH_ROLES_CLAIM,
    devKeyFile: config.AUTH_DEV_KEY_FILE,
  };
}

/** The port a process listens on: PORT if set, else its default for its instance number (docs/api.md §1). */
export function instancePort(config: Config, process: HapProcess): number {
  return config.PORT ?? defaultPort(process, instanceNumber(config.INSTANCE_ID));
}
