import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import type { Role } from './roles';

const algorithm = 'ES256';

export interface DevIssuer {
  /** The public half, as the gateway serves it at /.well-known/jwks.json. */
  jwks: JSONWebKeySet;
  /** A signed token for a role (and the patient or physician it is). */
  sign(claims: TokenClaims): Promise<string>;
}

export interface TokenClaims {
  roles: Role[];
  subject: string;
  issuer: string;
  audience: string;
  /** Seconds from now; an hour unless given. */
  expiresInSeconds?: number;
  /** The claim that carries the roles (AUTH_ROLES_CLAIM); `roles` unless given. */
  rolesClaim?: string;
}

interface KeyFile {
  privateJwk: JWK;
  publicJwk: JWK;
}

/**
 * The working default for `npm start`: a local issuer whose ES256 key is made
 * once, at `file` (under .data/), and read from there by every process and by
 * `npm run token`. Real deployments set AUTH_JWKS_URL to their OpenID
 * provider's instead, and have no use for this.
 */
export async function loadDevIssuer(file: string): Promise<DevIssuer> {
  const keys = await readOrCreate(file);
  const privateKey = await importJWK(keys.privateJwk, algorithm);
  return {
    jwks: { keys: [keys.publicJwk] },
    sign: async ({ roles, subject, issuer, audience, expiresInSeconds = 3600, rolesClaim = 'roles' }) =>
      new SignJWT(nested(rolesClaim, roles))
        .setProtectedHeader({ alg: algorithm, kid: keys.publicJwk.kid!, typ: 'JWT' })
        .setSubject(subject)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setJti(randomUUID())
        .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
        .sign(privateKey),
  };
}

/** `realm_access.roles` → {realm_access: {roles}}: the claim path AUTH_ROLES_CLAIM names. */
function nested(claimPath: string, value: unknown): Record<string, unknown> {
  return claimPath
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

async function readOrCreate(file: string): Promise<KeyFile> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as KeyFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey, publicKey } = await generateKeyPair(algorithm, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const keys: KeyFile = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: algorithm, use: 'sig' },
    publicJwk: { ...publicJwk, kid, alg: algorithm, use: 'sig' },
  };
  // Written aside and linked into place: processes starting together all end up with the first one's key.
  await mkdir(path.dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.${randomUUID()}`;
  await writeFile(aside, JSON.stringify(keys, null, 2), { mode: 0o600 });
  try {
    await link(aside, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(aside);
  }
  return JSON.parse(await readFile(file, 'utf8')) as KeyFile;
}

/** The settings a development token is signed for: the configured issuer, audience and roles claim, and the key file. */
export interface DevTokenSettings {
  AUTH_DEV_KEY_FILE: string;
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
  AUTH_ROLES_CLAIM: string;
}

/** One token of the development issuer, as the configured processes trust it (npm run token, the tools). */
export async function devToken(
  settings: DevTokenSettings,
  claims: { role: Role; subject: string; expiresInSeconds?: number },
): Promise<string> {
  const issuer = await loadDevIssuer(settings.AUTH_DEV_KEY_FILE);
  return issuer.sign({
    roles: [claims.role],
    subject: claims.subject,
    issuer: settings.AUTH_ISSUER,
    audience: settings.AUTH_AUDIENCE,
    expiresInSeconds: claims.expiresInSeconds,
    rolesClaim: settings.AUTH_ROLES_CLAIM,
  });
}
