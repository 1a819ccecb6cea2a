/**
 * `npm run --silent token -- --role <patient|physician|staff|admin> [--subject <id>] [--expires-in <seconds>] [--out <file>]`:
 * prints one token of the local development issuer (the key under .data/,
 * made on first use), the only line on stdout, or writes it to a file (the
 * compose stack's Prometheus reads its scrape token from one). A patient's or physician's
 * subject is their id; staff and admin get a fixed development user.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { devToken } from '../../libraries/auth/dev-issuer';
import { isRole, roles } from '../../libraries/auth/roles';
import { loadConfig } from '../../libraries/config/env';

const usage = `usage: npm run --silent token -- --role <${roles.join('|')}> [--subject <patientId|physicianId>] [--expires-in <seconds>] [--out <file>]`;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(message: string): never {
  console.error(`✗ ${message}\n${usage}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: { role: { type: 'string' }, subject: { type: 'string' }, 'expires-in': { type: 'string' }, out: { type: 'string' } },
      strict: true,
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();
const role = values.role;
if (!isRole(role)) fail(role ? `unknown role "${role}"` : '--role is required');
const needsId = role === 'patient' || role === 'physician';
const subject = values.subject ?? (needsId ? fail(`a ${role} token needs --subject <${role}Id>`) : `dev-${role}`);
if (needsId && !uuid.test(subject)) fail(`--subject must be the ${role}'s id (a UUID)`);
const expiresInSeconds = values['expires-in'] === undefined ? 3600 : Number(values['expires-in']);
if (!Number.isInteger(expiresInSeconds) || expiresInSeconds <= 0) fail('--expires-in must be a whole number of seconds');

const config = loadConfig();
if (config.AUTH_JWKS_URL) fail(`AUTH_JWKS_URL is set: tokens come from that issuer (${config.AUTH_ISSUER}), not from this command`);
const token = await devToken(config, { role, subject, expiresInSeconds });
if (values.out) {
  // Readable by a scraper running as another user (Prometheus runs as nobody); the folder is the one to guard.
  await mkdir(dirname(values.out), { recursive: true });
  await writeFile(values.out, `${token}\n`, { mode: 0o644 });
  console.error(`✓ ${role} token written to ${values.out}, valid for ${expiresInSeconds} s`);
} else {
  console.log(token);
}
