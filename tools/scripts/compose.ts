/**
 * `npm run compose`: rewrites the HAP processes of docker/compose.yaml from
 * the service registry (libraries/config/services.ts), after a service was added or
 * its port changed, docker/rabbitmq/definitions.json (broker users,
 * rights, topology) from the registry and the catalog, docker/postgres/init.sql
 * and docker/prometheus/prometheus.yml (the scrape targets). The infrastructure
 * above the processes is written by hand.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { format } from 'prettier';
import { composeBrokerDefinitions, composePostgresInit, composePrometheusConfig, withComposeServices } from '../launcher/compose';

const file = new URL('../../docker/compose.yaml', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = withComposeServices(before);
writeFileSync(file, after);
console.log(after === before ? 'docker/compose.yaml is up to date' : 'docker/compose.yaml rewritten from libraries/config/services.ts');

// The broker's users, rights and topology, which RabbitMQ imports at boot.
const definitionsFile = new URL('../../docker/rabbitmq/definitions.json', import.meta.url);
const definitionsBefore = readFileSync(definitionsFile, 'utf8');
const definitions = await format(JSON.stringify(await composeBrokerDefinitions()), { parser: 'json', printWidth: 140 });
writeFileSync(definitionsFile, definitions);
console.log(
  definitions === definitionsBefore ? 'docker/rabbitmq/definitions.json is up to date' : 'docker/rabbitmq/definitions.json rewritten',
);

// The database roles and databases, which the postgres image creates on an empty volume.
const initFile = new URL('../../docker/postgres/init.sql', import.meta.url);
const initBefore = readFileSync(initFile, 'utf8');
writeFileSync(initFile, composePostgresInit());
console.log(composePostgresInit() === initBefore ? 'docker/postgres/init.sql is up to date' : 'docker/postgres/init.sql rewritten');

// What Prometheus scrapes: every HAP process of the stack.
const prometheusFile = new URL('../../docker/prometheus/prometheus.yml', import.meta.url);
mkdirSync(new URL('../../docker/prometheus/', import.meta.url), { recursive: true });
const prometheusBefore = existsSync(prometheusFile) ? readFileSync(prometheusFile, 'utf8') : '';
writeFileSync(prometheusFile, composePrometheusConfig());
console.log(
  composePrometheusConfig() === prometheusBefore
    ? 'docker/prometheus/prometheus.yml is up to date'
    : 'docker/prometheus/prometheus.yml rewritten',
);
