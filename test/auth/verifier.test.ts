import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadDevIssuer, type DevIssuer } from '../../libraries/auth/dev-issuer';
import { createVerifier, InvalidTokenError, KeysUnavailableError } from '../../libraries/auth/verifier';

// The production path: keys from an issuer's JWKS over HTTP (AUTH_JWKS_URL), roles in a nested claim (Keycloak's realm_access.roles).
describe('token verification against a remote JWKS', () => {
  let issuer: DevIssuer;
  let server: Server;
  let jwksUrl: string;
  const settings = () => ({
    issuer: 'https://id.example.org',
    audience: 'hap-api',
    jwksUrl,
    rolesClaim: 'realm_access.roles',
    devKeyFile: '/nonexistent',
  });
  const token = (claims: Partial<Parameters<DevIssuer['sign']>[0]> = {}) =>
    issuer.sign({
      roles: ['physician', 'offline_access' as never],
      subject: 'd-1',
      issuer: 'https://id.example.org',
      audience: 'hap-api',
      rolesClaim: 'realm_access.roles',
      ...claims,
    });

  beforeAll(async () => {
    issuer = await loadDevIssuer(inject('authKeyFile'));
    server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(issuer.jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('accepts a token of the issuer for the audience, with the HAP roles of a nested claim and nothing else', async () => {
    const verifier = await createVerifier(settings());
    expect(verifier.localJwks).toBeUndefined();
    expect(await verifier.verify(await token())).toEqual({ subject: 'd-1', roles: ['physician'] });
  });

  it('refuses another issuer or audience, and says why', async () => {
    const verifier = await createVerifier(settings());
    await expect(verifier.verify(await token({ issuer: 'https://elsewhere.example.org' }))).rejects.toThrow(InvalidTokenError);
    await expect(verifier.verify(await token({ audience: 'other-api' }))).rejects.toThrow(/"aud" claim/);
  });

  it('tells keys it cannot fetch (a 503) from a bad token (a 401)', async () => {
    const verifier = await createVerifier({ ...settings(), jwksUrl: 'http://127.0.0.1:9/.well-known/jwks.json' });
    await expect(verifier.verify(await token())).rejects.toThrow(KeysUnavailableError);
  });
});
