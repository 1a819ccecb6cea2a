/**
 * The compose stack (docker/compose.yaml) checked against the code, without a
 * Docker engine: `docker-compose config` validates the file and resolves its
 * anchors and defaults, then every HAP process is matched with the repository
 * (entry points, libraries/config/env.ts, temporal.config.ts) and with the other
 * services of the stack (broker, database, Temporal, the gateway's upstreams).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { envSchema, instancePort, loadConfig, type Config } from '../../libraries/config/env';
import { databaseName } from '../../libraries/db/database';
import {
  gatewayUrlsKey,
  serviceEntry,
  serviceNames,
  serviceRegistry,
  type GatewayUrlsKey,
  type ServiceName,
} from '../../libraries/config/services';
import { brokerPrincipals, brokerUserName } from '../../libraries/config/broker-principals';
import {
  composeBrokerDefinitions,
  composePostgresInit,
  composePrometheusConfig,
  prometheusTokenFile,
  withComposeServices,
} from '../../tools/launcher/compose';
import { telemetrySettings } from '../../libraries/observability/telemetry';
import { databaseRole } from '../../libraries/db/database';
import { brokerPermissions } from '../../libraries/messaging/permissions';
import { temporalConfig } from '../../temporal.config';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const composeFile = 'docker/compose.yaml';

const serviceFamilies = serviceNames;
type Family = ServiceName;
/** Every HAP process and its entry point (README, docs/design.md §1); the services' from the registry. */
const entryPoints = {
  gateway: 'gateway/main.ts',
  worker: 'worker/main.ts',
  bridge: 'bridge/main.ts',
  ...(Object.fromEntries(serviceFamilies.map((family) => [family, serviceEntry(family)])) as Record<Family, string>),
};
type Process = keyof typeof entryPoints;
/** Instances of each service in the committed stack (issue 6: two of each, docs/design.md §1). */
const instancesPerService = 2;
const gatewayUrlKeys = Object.fromEntries(serviceFamilies.map((family) => [family, gatewayUrlsKey(family)])) as Record<
  Family,
  GatewayUrlsKey
>;
/** Processes that talk to Temporal: they start once the namespace and search attributes exist. */
const usesTemporal: readonly Process[] = [
  'worker',
  'bridge',
  ...serviceFamilies.filter((family) => 'usesTemporal' in serviceRegistry[family]),
];

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target?: number | string; published?: number | string | null })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  restart?: string;
}
interface ComposeModel {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}
interface HapService {
  name: string;
  role: Process;
  service: ComposeService;
  env: Record<string, string>;
  config: Config;
}

let compose: ComposeModel;
/** The long-running HAP processes; one-shot jobs on the HAP image (restart: 'no') are not among them. */
let hap: HapService[];

/** The environment for docker-compose, without variables that would change what the file resolves to. */
function composeEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('HAP_') && !key.startsWith('COMPOSE_')));
}

function run(command: string, args: string[], input?: string): string {
  const result = spawnSync(command, args, { cwd: repoRoot, env: composeEnv(), encoding: 'utf8', input, maxBuffer: 16 * 1024 * 1024 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    if (command === 'docker-compose') {
      throw new Error(
        'docker-compose is not installed: this test validates docker/compose.yaml with it. ' +
          'Install the Debian package: apt-get install -y docker-compose (.ci/run does this in CI).',
      );
    }
    throw new Error(`${command} is not installed (needed to read the output of docker-compose config)`);
  }
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

/**
 * `docker-compose config`, as JSON: Compose v2 prints JSON itself; Debian's
 * docker-compose 1.29 (Python) prints YAML, turned into JSON by the PyYAML
 * that package depends on.
 */
function loadCompose(): ComposeModel {
  const version = run('docker-compose', ['version', '--short']).trim();
  const major = Number(/(\d+)\./.exec(version)?.[1] ?? 0);
  if (major >= 2) return JSON.parse(run('docker-compose', ['-f', composeFile, 'config', '--format', 'json'])) as ComposeModel;
  const yaml = run('docker-compose', ['-f', composeFile, 'config']);
  const toJson = 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)';
  const [python, ...pythonArgs] = pythonOfDockerCompose();
  return JSON.parse(run(python!, [...pythonArgs, '-c', toJson], yaml)) as ComposeModel;
}

/** The interpreter docker-compose 1.x runs with (its shebang), which has PyYAML; another python3 on PATH may not. */
function pythonOfDockerCompose(): string[] {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const script = join(dir, 'docker-compose');
    if (!dir || !existsSync(script)) continue;
    const firstLine = readFileSync(script, 'utf8').slice(0, 200).split('\n')[0] ?? '';
    if (firstLine.startsWith('#!') && firstLine.includes('python')) return firstLine.slice(2).trim().split(/\s+/);
    break;
  }
  return ['python3'];
}

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => [entry.split('=')[0]!, entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(
    Object.entries(env)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([key, value]) => [key, String(value)]),
  );
}

function commandOf(service: ComposeService): string[] {
  const command = service.command ?? [];
  return typeof command === 'string' ? command.split(/\s+/).filter(Boolean) : command;
}

function dependenciesOf(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep.condition ?? 'service_started']));
}

function hasHealthcheck(service: ComposeService): boolean {
  const test = service.healthcheck?.test;
  if (!test || service.healthcheck?.disable) return false;
  const first = Array.isArray(test) ? test[0] : test;
  return first !== 'NONE';
}

function publishedPorts(name: string, service: ComposeService): string[] {
  return (service.ports ?? []).flatMap((port) => {
    if (typeof port === 'object')
      return port.published !== undefined && port.published !== null && port.published !== '' ? [`${name}:${port.target}`] : [];
    const parts = String(port).split('/')[0]!.split(':');
    return parts.length > 1 ? [`${name}:${parts[parts.length - 1]}`] : [];
  });
}

function namedVolumeMounts(service: ComposeService): { source: string; target: string }[] {
  return (service.volumes ?? []).flatMap((volume) => {
    if (typeof volume === 'object')
      return volume.type === 'volume' && volume.source && volume.target ? [{ source: volume.source, target: volume.target }] : [];
    const [source, target] = volume.split(':');
    return source && target && !source.startsWith('/') && !source.startsWith('.') ? [{ source, target }] : [];
  });
}

/** The one service whose image is `prefix…` (rabbitmq:, postgres:, temporalio/server:). */
function serviceByImage(prefix: string): string {
  const names = Object.entries(compose.services)
    .filter(([, service]) => service.image?.startsWith(prefix))
    .map(([name]) => name);
  expect(names, `services with image ${prefix}*`).toHaveLength(1);
  return names[0]!;
}

/** The job that registers HAP's search attributes (it carries HAP_SEARCH_ATTRIBUTES). */
function searchAttributeJob(): string {
  const names = Object.entries(compose.services)
    .filter(([, service]) => 'HAP_SEARCH_ATTRIBUTES' in environmentOf(service))
    .map(([name]) => name);
  expect(names, 'services setting HAP_SEARCH_ATTRIBUTES').toHaveLength(1);
  return names[0]!;
}

function hostOf(url: string): { hostname: string; port: string; url: URL } {
  const parsed = new URL(url);
  return { hostname: parsed.hostname, port: parsed.port, url: parsed };
}

let setupError: unknown;

beforeAll(() => {
  try {
    compose = loadCompose();
    hap = Object.entries(compose.services)
      .filter(([, service]) => service.build !== undefined && service.restart !== 'no')
      .map(([name, service]) => {
        const entry = commandOf(service).at(-1) ?? '';
        const role = (Object.entries(entryPoints).find(([, path]) => path === entry)?.[0] ?? 'unknown') as Process;
        const env = environmentOf(service);
        let config: Config;
        try {
          config = loadConfig(env);
        } catch (error) {
          throw new Error(`service ${name}: ${(error as Error).message}`, { cause: error });
        }
        return { name, role, service, env, config };
      });
  } catch (error) {
    setupError = error;
  }
});

// Each test fails (rather than being skipped) when docker-compose is missing or rejects the file.
beforeEach(() => {
  if (setupError) throw setupError;
});

const initSql = readFileSync(join(repoRoot, 'docker/postgres/init.sql'), 'utf8');

describe('docker/compose.yaml', () => {
  it('is a valid compose file holding the infrastructure and the HAP processes', () => {
    expect(Object.keys(compose.services).length).toBeGreaterThan(0);
    expect(hap.length, 'services built from docker/Dockerfile').toBeGreaterThan(0);
    serviceByImage('rabbitmq:');
    serviceByImage('postgres:');
    serviceByImage('temporalio/server:');
    serviceByImage('temporalio/ui:');
  });

  it('holds exactly the HAP processes the service registry makes (npm run compose writes them)', () => {
    const committed = readFileSync(join(repoRoot, composeFile), 'utf8');
    expect(withComposeServices(committed), 'run npm run compose').toBe(committed);
  });

  it('runs every HAP process from the one image, with a command naming a real entry point', () => {
    const images = new Set(hap.map(({ service }) => service.image));
    expect([...images], 'one image for every HAP process').toHaveLength(1);
    for (const { name, service } of hap) {
      const build = typeof service.build === 'string' ? { context: service.build } : (service.build ?? {});
      expect(resolve(build.context ?? '.', build.dockerfile ?? 'Dockerfile'), `${name}: build`).toBe(
        resolve(repoRoot, 'docker/Dockerfile'),
      );
      expect(resolve(build.context ?? '.'), `${name}: build context (the repository root, with its .dockerignore)`).toBe(resolve(repoRoot));
      expect(commandOf(service).slice(0, 3), `${name}: command`).toEqual(['node', '--import', 'tsx']);
    }
    expect(existsSync(join(repoRoot, 'docker/Dockerfile'))).toBe(true);
    expect(existsSync(join(repoRoot, '.dockerignore'))).toBe(true);

    const missing = [...new Set(hap.map(({ service }) => commandOf(service).at(-1)!))].filter(
      (entry) => !existsSync(join(repoRoot, entry)),
    );
    expect(missing, 'entry points named by a command but missing from the repository').toEqual([]);
    const unknown = hap
      .filter(({ role }) => (role as string) === 'unknown')
      .map(({ name, service }) => `${name}: ${commandOf(service).join(' ')}`);
    expect(unknown, 'commands that name no HAP entry point').toEqual([]);
    const roles = new Set(hap.map(({ role }) => role));
    expect([...roles].sort(), 'HAP processes in the stack').toEqual(Object.keys(entryPoints).sort());
  });

  it('sets only variables that libraries/config/env.ts reads, each with a valid value', () => {
    const known = new Set(Object.keys(envSchema.shape));
    for (const { name, env } of hap) {
      // OpenTelemetry's own variables are read by libraries/observability/telemetry/settings.ts, not envSchema.
      expect(
        Object.keys(env).filter((key) => !known.has(key) && !key.startsWith('OTEL_')),
        `${name}: variables that are not keys of envSchema`,
      ).toEqual([]);
    }
    // loadConfig (beforeAll) already accepted every service's environment.
  });

  it('holds in docker/postgres/init.sql exactly the roles and databases the code makes (npm run compose)', () => {
    expect(initSql, 'run npm run compose').toBe(composePostgresInit());
  });

  it('points every process at the broker, the database and Temporal by compose service name', () => {
    const rabbitmq = serviceByImage('rabbitmq:');
    const postgres = serviceByImage('postgres:');
    const temporal = serviceByImage('temporalio/server:');
    const postgresEnv = environmentOf(compose.services[postgres]!);

    for (const { name, role, env } of hap) {
      // Required where the process uses it; wherever set, it must name a compose service (the defaults say 127.0.0.1).
      const needsAmqp = role !== 'gateway';
      const needsPg = role !== 'gateway' && role !== 'bridge';
      const needsTemporal = usesTemporal.includes(role);
      if (needsAmqp) expect(env.AMQP_URL, `${name}: AMQP_URL`).toBeDefined();
      if (needsPg) expect(env.PG_URL, `${name}: PG_URL`).toBeDefined();
      if (needsTemporal) expect(env.TEMPORAL_ADDRESS, `${name}: TEMPORAL_ADDRESS`).toBeDefined();
      if (serviceFamilies.includes(role as Family)) expect(env.INSTANCE_ID, `${name}: INSTANCE_ID`).toBeDefined();

      if (env.AMQP_URL !== undefined) {
        const amqp = hostOf(env.AMQP_URL);
        expect(amqp.url.protocol, `${name}: AMQP_URL`).toBe('amqp:');
        expect(amqp.hostname, `${name}: AMQP_URL host`).toBe(rabbitmq);
      }
      if (env.PG_URL !== undefined) {
        const pg = hostOf(env.PG_URL);
        expect(pg.hostname, `${name}: PG_URL host`).toBe(postgres);
        expect(pg.url.pathname.replace(/^\//, ''), `${name}: PG_URL names a server, not a database`).toBe('');
        // Its own least-privilege role, never the superuser, made by init.sql with this password.
        const user = decodeURIComponent(pg.url.username);
        expect(user, `${name}: PG_URL user`).not.toBe(postgresEnv.POSTGRES_USER);
        expect(user, `${name}: PG_URL user`).toBe(databaseRole('hap', role === 'worker' ? 'worker' : role));
        expect(initSql, `${name}: its role in init.sql`).toContain(
          `CREATE ROLE "${user}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${decodeURIComponent(pg.url.password)}';`,
        );
      }
      if (env.TEMPORAL_ADDRESS !== undefined) expect(env.TEMPORAL_ADDRESS, `${name}: TEMPORAL_ADDRESS`).toBe(`${temporal}:7233`);
    }
  });

  it('has the broker user and vhost of AMQP_URL in the RabbitMQ definitions, with that password', () => {
    const definitions = JSON.parse(readFileSync(join(repoRoot, 'docker/rabbitmq/definitions.json'), 'utf8')) as {
      users: { name: string; password_hash: string; hashing_algorithm: string }[];
      vhosts: { name: string }[];
      permissions: { user: string; vhost: string; configure: string; write: string; read: string }[];
    };
    const rabbitmq = compose.services[serviceByImage('rabbitmq:')]!;
    const mounted = (rabbitmq.volumes ?? []).map((volume) => (typeof volume === 'string' ? volume : `${volume.source}:${volume.target}`));
    expect(mounted.some((volume) => volume.includes('rabbitmq/definitions.json:'))).toBe(true);

    const urls = new Set(hap.filter(({ role }) => role !== 'gateway').map(({ config }) => config.AMQP_URL));
    for (const url of urls) {
      const parsed = new URL(url);
      const user = decodeURIComponent(parsed.username);
      const password = decodeURIComponent(parsed.password);
      const vhost = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '/';
      const entry = definitions.users.find((candidate) => candidate.name === user);
      expect(entry, `user ${user} in definitions.json`).toBeDefined();
      expect(entry!.hashing_algorithm).toBe('rabbit_password_hashing_sha256');
      // rabbit_password_hashing_sha256: base64(salt(4 bytes) ‖ sha256(salt ‖ password)).
      const hash = Buffer.from(entry!.password_hash, 'base64');
      const salt = hash.subarray(0, 4);
      const expected = createHash('sha256')
        .update(Buffer.concat([salt, Buffer.from(password, 'utf8')]))
        .digest();
      expect(hash.subarray(4).equals(expected), `password of ${user} in AMQP_URL matches definitions.json`).toBe(true);
      expect(definitions.vhosts.map((candidate) => candidate.name)).toContain(vhost);
      // Each process logs in as its own principal, with that principal's narrow rights (libraries/messaging/permissions.ts).
      const principal = brokerPrincipals.find((candidate) => brokerUserName('hap', candidate) === user);
      expect(principal, `${user} is one of HAP's broker principals`).toBeDefined();
      const { configure, write, read } = brokerPermissions(principal!);
      expect(definitions.permissions).toContainEqual({ user, vhost, configure, write, read });
    }
    expect(urls.size, 'one broker user per service and process kind').toBe(brokerPrincipals.length);
  });

  it('holds in docker/rabbitmq/definitions.json exactly the users, rights and topology the code makes (npm run compose)', async () => {
    const committed = JSON.parse(readFileSync(join(repoRoot, 'docker/rabbitmq/definitions.json'), 'utf8')) as unknown;
    expect(committed, 'run npm run compose').toEqual(await composeBrokerDefinitions());
  });

  it(`runs exactly ${instancesPerService} instances of each service, each with its own instance id and read database`, () => {
    for (const family of serviceFamilies) {
      const instances = hap.filter(({ role }) => role === family);
      expect(
        instances.map(({ name }) => name),
        `instances of ${family}`,
      ).toHaveLength(instancesPerService);
      const ids = new Set(instances.map(({ config }) => config.INSTANCE_ID));
      expect(ids.size, `distinct INSTANCE_IDs of ${family}`).toBe(instancesPerService);
      const readDatabases = new Set(instances.map(({ config }) => databaseName(config.DB_PREFIX, family, 'read', config.INSTANCE_ID)));
      expect(readDatabases.size, `distinct read databases of ${family}`).toBe(instancesPerService);
      const writeDatabases = new Set(instances.map(({ config }) => databaseName(config.DB_PREFIX, family)));
      expect(writeDatabases.size, `one write database shared by the instances of ${family}`).toBe(1);
    }
  });

  it('gives the gateway every instance of each service by compose service name and port', () => {
    const gateway = hap.find(({ role }) => role === 'gateway');
    expect(gateway, 'the gateway service').toBeDefined();
    for (const family of serviceFamilies) {
      const key = gatewayUrlKeys[family];
      expect(gateway!.env[key], `gateway: ${key} must be set (its default is localhost)`).toBeDefined();
      const expected = hap
        .filter(({ role }) => role === family)
        .map(({ name, config }) => `http://${name}:${instancePort(config, family)}`)
        .sort();
      expect([...gateway!.config[key]].sort(), `gateway: ${key}`).toEqual(expected);
    }
  });

  it('publishes only the gateway, the Temporal UI, the RabbitMQ management UI, Prometheus, Jaeger and Grafana', () => {
    const published = Object.entries(compose.services)
      .flatMap(([name, service]) => publishedPorts(name, service))
      .sort();
    const gateway = hap.find(({ role }) => role === 'gateway')!;
    const ui = serviceByImage('temporalio/ui:');
    const uiPort = environmentOf(compose.services[ui]!).TEMPORAL_UI_PORT ?? '8080';
    expect(published).toEqual(
      [
        `${gateway.name}:${instancePort(gateway.config, 'gateway')}`,
        `${serviceByImage('rabbitmq:')}:15672`,
        `${ui}:${uiPort}`,
        `${serviceByImage('prom/prometheus:')}:9090`,
        `${serviceByImage('jaegertracing/')}:16686`,
        `${serviceByImage('grafana/grafana:')}:3000`,
      ].sort(),
    );
  });

  it('starts in order: health checks and depends_on conditions', () => {
    const postgres = serviceByImage('postgres:');
    const rabbitmq = serviceByImage('rabbitmq:');
    const temporal = serviceByImage('temporalio/server:');
    const setup = searchAttributeJob();

    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, condition] of Object.entries(dependenciesOf(service))) {
        const target = compose.services[dependency];
        expect(target, `${name} depends on unknown service ${dependency}`).toBeDefined();
        if (condition === 'service_healthy')
          expect(hasHealthcheck(target!), `${name} waits for ${dependency} to be healthy, which has no health check`).toBe(true);
        if (condition === 'service_completed_successfully') {
          expect(['no', undefined], `${name} waits for ${dependency} to complete, so it must be a one-shot job`).toContain(target!.restart);
        }
      }
    }
    for (const { name, role, service } of hap) {
      const deps = dependenciesOf(service);
      expect(hasHealthcheck(service), `${name}: health check`).toBe(true);
      if (role === 'gateway') {
        for (const instance of hap.filter(({ role: other }) => serviceFamilies.includes(other as Family))) {
          expect(deps[instance.name], `gateway waits for ${instance.name}`).toBe('service_healthy');
        }
        continue;
      }
      if (role !== 'bridge') expect(deps[postgres], `${name} waits for ${postgres}`).toBe('service_healthy');
      expect(deps[rabbitmq], `${name} waits for ${rabbitmq}`).toBe('service_healthy');
      if (usesTemporal.includes(role))
        expect(deps[setup], `${name} waits for ${setup} (namespace and search attributes)`).toBe('service_completed_successfully');
    }

    // Temporal: schema job, then the server, then namespace and search attributes.
    const serverDeps = dependenciesOf(compose.services[temporal]!);
    const schemaJob = Object.entries(serverDeps).find(([, condition]) => condition === 'service_completed_successfully')?.[0];
    expect(schemaJob, `${temporal} waits for its schema job`).toBeDefined();
    expect(compose.services[schemaJob!]!.image?.startsWith('temporalio/admin-tools:')).toBe(true);
    expect(dependenciesOf(compose.services[schemaJob!]!)[postgres]).toBe('service_healthy');
    expect(dependenciesOf(compose.services[setup]!)[temporal]).toBe('service_healthy');
  });

  it("registers temporal.config.ts's search attributes in the namespace the processes use", () => {
    const setup = compose.services[searchAttributeJob()]!;
    const env = environmentOf(setup);
    expect(setup.image?.startsWith('temporalio/admin-tools:')).toBe(true);
    const registered = Object.fromEntries(
      env
        .HAP_SEARCH_ATTRIBUTES!.trim()
        .split(/\s+/)
        .map((pair) => pair.split('=') as [string, string]),
    );
    expect(registered).toEqual(temporalConfig.searchAttributes);
    expect(env.TEMPORAL_ADDRESS).toBe(`${serviceByImage('temporalio/server:')}:7233`);
    for (const { name, role, config } of hap.filter(({ role }) => usesTemporal.includes(role))) {
      expect(config.TEMPORAL_NAMESPACE, `${name} (${role}): TEMPORAL_NAMESPACE`).toBe(env.TEMPORAL_NAMESPACE);
    }
  });

  it('keeps data in named volumes and pins every image', () => {
    const named = Object.keys(compose.volumes ?? {});
    const postgresData = namedVolumeMounts(compose.services[serviceByImage('postgres:')]!);
    const rabbitData = namedVolumeMounts(compose.services[serviceByImage('rabbitmq:')]!);
    expect(postgresData.map(({ target }) => target)).toContain('/var/lib/postgresql/data');
    expect(rabbitData.map(({ target }) => target)).toContain('/var/lib/rabbitmq');
    for (const { source } of [...postgresData, ...rabbitData]) expect(named).toContain(source);

    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build !== undefined) continue;
      const tag = /:([^:/]+)$/.exec(service.image ?? '')?.[1];
      expect(tag, `${name}: image ${service.image} has a tag`).toBeDefined();
      expect(tag, `${name}: image ${service.image} is pinned to a version`).toMatch(/^v?\d+\.\d+/);
    }
    const temporalVersions = new Set(
      Object.values(compose.services)
        .map((service) => /^temporalio\/(?:server|admin-tools):(.+)$/.exec(service.image ?? '')?.[1])
        .filter(Boolean),
    );
    expect(temporalVersions.size, 'temporalio/server and temporalio/admin-tools at the same version').toBe(1);
  });

  it('holds in docker/prometheus/prometheus.yml exactly the scrape targets the code makes (npm run compose), one per HAP process', () => {
    const committed = readFileSync(join(repoRoot, 'docker/prometheus/prometheus.yml'), 'utf8');
    expect(committed, 'run npm run compose').toBe(composePrometheusConfig());
    const targets = [...committed.matchAll(/'([a-z0-9-]+:\d+)'/g)].map((match) => match[1]).sort();
    expect(targets).toEqual(hap.map(({ name, env }) => `${name}:${env.PORT}`).sort());
  });

  it('gives Prometheus the admin token the metrics-token job writes with the development issuer the processes trust', () => {
    const prometheus = compose.services[serviceByImage('prom/prometheus:')]!;
    const jobs = Object.entries(compose.services).filter(([, service]) => service.build !== undefined && service.restart === 'no');
    expect(jobs.map(([name]) => name)).toEqual(['metrics-token']);
    const [, job] = jobs[0]!;
    expect(dependenciesOf(prometheus)['metrics-token']).toBe('service_completed_successfully');
    const command = commandOf(job);
    expect(command.slice(0, 4)).toEqual(['node', '--import', 'tsx', 'tools/scripts/token.ts']);
    expect(command[command.indexOf('--role') + 1]).toBe('admin');
    const out = command[command.indexOf('--out') + 1]!;
    // The token's folder is a volume that Prometheus mounts where its configuration looks for the file.
    const tokenVolume = namedVolumeMounts(job).find(({ target }) => out.startsWith(`${target}/`));
    expect(tokenVolume, `a named volume holding ${out}`).toBeDefined();
    const mounted = namedVolumeMounts(prometheus).find(({ source }) => source === tokenVolume!.source);
    expect(`${mounted?.target}/${out.slice(tokenVolume!.target.length + 1)}`).toBe(prometheusTokenFile);
    // The same key as the processes: the auth volume at the same place.
    const authOf = (service: ComposeService) => namedVolumeMounts(service).find(({ source }) => source === 'hap-auth')?.target;
    expect(authOf(job)).toBe(authOf(hap[0]!.service));
    const configMount = (prometheus.volumes ?? []).map(String).find((volume) => volume.includes('/etc/prometheus/prometheus.yml'));
    expect(configMount).toMatch(/docker\/prometheus\/prometheus\.yml:\/etc\/prometheus\/prometheus\.yml/);
  });

  it("sends every process's traces to Jaeger over OTLP/HTTP", () => {
    const jaeger = serviceByImage('jaegertracing/');
    for (const { name, env } of hap) {
      const settings = telemetrySettings(env, name);
      expect(settings.enabled, `${name}: tracing on`).toBe(true);
      expect(new URL(settings.tracesUrl!).host, `${name}: OTLP endpoint`).toBe(`${jaeger}:4318`);
    }
    expect(environmentOf(compose.services[jaeger]!).COLLECTOR_OTLP_ENABLED).toBe('true');
  });

  it('provisions Grafana with Prometheus, Jaeger and a dashboard drawn from metrics the code defines', () => {
    const grafana = compose.services[serviceByImage('grafana/grafana:')]!;
    const mounts = (grafana.volumes ?? []).map(String);
    for (const folder of [
      'docker/grafana/provisioning:/etc/grafana/provisioning',
      'docker/grafana/dashboards:/var/lib/grafana/dashboards',
    ]) {
      expect(
        mounts.some((volume) => volume.includes(folder)),
        `grafana mounts ${folder}`,
      ).toBe(true);
    }
    const sources = readFileSync(join(repoRoot, 'docker/grafana/provisioning/datasources/hap.yaml'), 'utf8');
    const uids = [...sources.matchAll(/uid: (\S+)/g)].map((match) => match[1]);
    expect(sources).toContain(`url: http://${serviceByImage('prom/prometheus:')}:9090`);
    expect(sources).toContain(`url: http://${serviceByImage('jaegertracing/')}:16686`);

    const dashboard = JSON.parse(readFileSync(join(repoRoot, 'docker/grafana/dashboards/hap.json'), 'utf8')) as {
      panels: { title: string; datasource: { uid: string }; targets: { expr: string; datasource: { uid: string } }[] }[];
    };
    const defined = new Set(
      ['libraries/observability/metrics/registry.ts', 'workflows/saga-metrics.ts'].flatMap((file) =>
        [...readFileSync(join(repoRoot, file), 'utf8').matchAll(/'(hap_[a-z_]+)'/g)].map((match) => match[1]),
      ),
    );
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(uids, `${panel.title}: data source`).toContain(panel.datasource.uid);
      for (const target of panel.targets) {
        expect(uids).toContain(target.datasource.uid);
        for (const [name] of target.expr.matchAll(/hap_[a-z_]+/g)) used.add(name.replace(/_(bucket|sum|count)$/, ''));
      }
    }
    expect(
      [...used].filter((name) => !defined.has(name)),
      'metrics the dashboard reads that no code defines',
    ).toEqual([]);
    // What an operator looks at first: requests, latency, deliveries, dead letters, outbox, sagas.
    for (const name of [
      'hap_http_requests_total',
      'hap_http_request_duration_seconds',
      'hap_messages_consumed_total',
      'hap_dlq_messages',
      'hap_outbox_pending',
      'hap_saga_completed_total',
      'hap_saga_duration_seconds',
    ]) {
      expect(used, `the dashboard shows ${name}`).toContain(name);
    }
  });
});
