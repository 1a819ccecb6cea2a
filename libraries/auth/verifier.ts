import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { loadDevIssuer } from './dev-issuer';
import { roles, type Principal } from './roles';

/** Where tokens come from (libraries/config/env.ts AUTH_*): any OpenID provider, or the local development issuer. */
export interface AuthSettings {
  issuer: string;
  audience: string;
  /** The provider's JWKS; unset, the development issuer's key at devKeyFile is trusted. */
  jwksUrl?: string | undefined;
  /** The claim that holds the roles, a dotted path for nested claims (Keycloak: `realm_access.roles`). */
  rolesClaim: string;
  devKeyFile: string;
}

/** A token that proves nothing: 401, with why, for WWW-Authenticate. */
export class InvalidTokenError extends Error {}
/** The keys could not be fetched: the caller is not at fault (503). */
export class KeysUnavailableError extends Error {}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
  /** The keys this verifier trusts when they are local (the development issuer), to serve as JWKS. */
  localJwks: JSONWebKeySet | undefined;
}

/** Verifies signature, expiry, issuer and audience (jose), then reads the subject and the HAP roles. */
export async function createVerifier(settings: AuthSettings): Promise<TokenVerifier> {
  const localJwks = settings.jwksUrl ? undefined : (await loadDevIssuer(settings.devKeyFile)).jwks;
  // A remote set is fetched on first use, cached, and refetched when a token names a key it does not know.
  const keys = localJwks ? createLocalJWKSet(localJwks) : createRemoteJWKSet(new URL(settings.jwksUrl!));
  return {
    localJwks,
    async verify(token) {
      const payload = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        clockTolerance: 5,
      }).then(({ payload }) => payload, rethrow);
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidTokenError('the token has no subject');
      const claimed = claimAt(payload, settings.rolesClaim);
      const list = Array.isArray(claimed) ? claimed : [claimed];
      return { subject: payload.sub, roles: roles.filter((role) => list.includes(role)) };
    },
  };
}

function claimAt(payload: JWTPayload, claimPath: string): unknown {
  return claimPath.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], payload);
}

function rethrow(error: unknown): never {
  if (error instanceof errors.JWTExpired) throw new InvalidTokenError('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed)
    throw new InvalidTokenError(`the token's "${error.claim}" claim is not accepted here`);
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    throw new InvalidTokenError('the token is not signed by a trusted key');
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error instanceof TypeError) {
    throw new KeysUnavailableError("the token issuer's keys cannot be fetched", { cause: error });
  }
  if (error instanceof errors.JOSEError) throw new InvalidTokenError('the token is malformed');
  throw error;
}
