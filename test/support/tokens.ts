import { inject } from 'vitest';
import { loadDevIssuer, type DevIssuer } from '../../libraries/auth/dev-issuer';
import type { Role } from '../../libraries/auth/roles';
import { createVerifier } from '../../libraries/auth/verifier';
import { authSettings, loadConfig } from '../../libraries/config/env';

/** Who a test calls as: a role, and for a patient or physician their id. */
export interface Caller {
  role: Role;
  subject?: string;
}

export const staff: Caller = { role: 'staff' };
export const admin: Caller = { role: 'admin' };
export const asPatient = (patientId: string): Caller => ({ role: 'patient', subject: patientId });
export const asPhysician = (physicianId: string): Caller => ({ role: 'physician', subject: physicianId });

let issuer: Promise<DevIssuer> | undefined;
const defaults = loadConfig({});

/** A token of the run's development issuer (test/setup/integration.ts made its key), which every test instance trusts. */
export async function tokenFor(caller: Caller, options: { expiresInSeconds?: number; audience?: string } = {}): Promise<string> {
  issuer ??= loadDevIssuer(inject('authKeyFile'));
  return (await issuer).sign({
    roles: [caller.role],
    subject: caller.subject ?? `test-${caller.role}`,
    issuer: defaults.AUTH_ISSUER,
    audience: options.audience ?? defaults.AUTH_AUDIENCE,
    expiresInSeconds: options.expiresInSeconds ?? 3600,
  });
}

/** The Authorization header for a caller. */
export const bearer = async (caller: Caller) => ({ authorization: `Bearer ${await tokenFor(caller)}` });

/** A verifier that trusts the run's development issuer, for apps a test builds itself. */
export const testVerifier = () => createVerifier(authSettings(loadConfig({ AUTH_DEV_KEY_FILE: inject('authKeyFile') })));
