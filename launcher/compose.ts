import {
  defaultInstances,
  defaultPort,
  gatewayUrlsKey,
  processPorts,
  serviceEntry,
  serviceNames,
  serviceRegistry,
  type ServiceIdentity,
} from '../config/services';

/** The first line of the HAP processes' part of docker/compose.yaml, which `npm run compose` writes. */
export const composeSectionStart =
  '  # ---------------------------------------------------------------- HAP (npm run compose writes this part)';
/** What follows that part: the volumes, written by hand like the infrastructure above it. */
export const composeSectionEnd = '\nvolumes:';

const instances = Array.from({ length: defaultInstances }, (_, i) => i + 1);
const { gateway: gatewayPort } = processPorts;
const healthcheck = (path: string) =>
  `['CMD', 'node', '-e', "fetch('http://127.0.0.1:'+process.env.PORT+'${path}').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]`;

function processBlock(name: string, entry: string, env: Record<string, string>, dependsOn: string): string {
  return [
    `  ${name}:`,
    '    <<: *hap',
    `    command: ['node', '--import', 'tsx', '${entry}']`,
    '    environment:',
    '      <<: *hap-env',
    ...Object.entries(env).map(([key, value]) => `      ${key}: ${value}`),
    `    depends_on: ${dependsOn}`,
  ].join('\n');
}

/**
 * The HAP processes of the compose stack, from the service registry: the
 * gateway pointed at two instances of every service, the saga worker, the
 * bridge, and the instances themselves. A service added to the registry is
 * added here by `npm run compose`; test/docker/compose.test.ts checks that
 * the committed file holds exactly this.
 */
export function composeServicesSection(): string {
  const gateway = [
    '  gateway:',
    '    <<: *hap',
    "    command: ['node', '--import', 'tsx', 'gateway/main.ts']",
    '    environment:',
    '      <<: *hap-env',
    `      PORT: '${gatewayPort}'`,
    ...serviceNames.map(
      (name) => `      ${gatewayUrlsKey(name)}: ${instances.map((n) => `http://${name}-${n}:${defaultPort(name, n)}`).join(',')}`,
    ),
    '    healthcheck:',
    '      test:',
    `        ${healthcheck('/health')}`,
    '      interval: 5s',
    '      timeout: 5s',
    '      retries: 24',
    '      start_period: 10s',
    '    depends_on:',
    ...serviceNames.flatMap((name) => instances.map((n) => `      ${name}-${n}: { condition: service_healthy }`)),
    '    ports:',
    `      - '\${HAP_GATEWAY_PORT:-${gatewayPort}}:${gatewayPort}'`,
  ].join('\n');
  const needs = (identity: ServiceIdentity) => (identity.usesTemporal ? '*needs-temporal' : '*needs-infra');
  const blocks = [
    gateway,
    processBlock('worker', 'worker/main.ts', { INSTANCE_ID: 'worker-1', PORT: `'${processPorts.worker}'` }, '*needs-temporal'),
    processBlock('bridge', 'bridge/main.ts', { INSTANCE_ID: 'bridge-1', PORT: `'${processPorts.bridge}'` }, '*needs-temporal'),
    ...serviceNames.flatMap((name) =>
      instances.map((n) =>
        processBlock(
          `${name}-${n}`,
          serviceEntry(name),
          { INSTANCE_ID: `instance-${n}`, PORT: `'${defaultPort(name, n)}'` },
          needs(serviceRegistry[name]),
        ),
      ),
    ),
  ];
  return `${composeSectionStart}\n${blocks.join('\n\n')}\n`;
}

/** The compose file with its HAP part replaced by composeServicesSection(). */
export function withComposeServices(file: string): string {
  const start = file.indexOf(composeSectionStart);
  const end = file.indexOf(composeSectionEnd, start);
  if (start < 0 || end < 0) throw new Error(`docker/compose.yaml has lost its markers: "${composeSectionStart.trim()}" … "volumes:"`);
  return `${file.slice(0, start)}${composeServicesSection()}${file.slice(end)}`;
}
