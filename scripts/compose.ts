/**
 * `npm run compose`: rewrites the HAP processes of docker/compose.yaml from
 * the service registry (config/services.ts), after a service was added or
 * its port changed. The infrastructure above them is written by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withComposeServices } from '../launcher/compose';

const file = new URL('../docker/compose.yaml', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = withComposeServices(before);
writeFileSync(file, after);
console.log(after === before ? 'docker/compose.yaml is up to date' : 'docker/compose.yaml rewritten from config/services.ts');
