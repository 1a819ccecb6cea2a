import { inject } from 'vitest';
import type { Config } from '../../libraries/config/env';
import { dropDatabases, testConfig, testDbPrefix } from './instances';
import { makeBrokerUsers } from './broker-logins';
import { createTestVhost, type TestVhost } from './vhost';

/**
 * A vhost, its broker users and a database prefix of one test file's own: its
 * instances share nothing with other files, other runs or a running HAP.
 * config() logs in as the setup user would (guest); startTestInstance and
 * startTestSystem give each part its principal's login.
 */
export interface TestSandbox {
  vhost: TestVhost;
  prefix: string;
  /** testConfig for an instance in the sandbox. */
  config(overrides?: Record<string, string>): Config;
  /** config() against the suite's Temporal dev server, on a task queue of the sandbox's own, so no other file's worker takes its tasks. */
  sagaConfig(taskQueue: string, overrides?: Record<string, string>): Config;
  /** Removes the vhost and every database made under the prefix. */
  remove(): Promise<void>;
}

/** `dbLabel` names the databases where the vhost's label would make their names too long. */
export async function createSandbox(label: string, { dbLabel = label }: { dbLabel?: string } = {}): Promise<TestSandbox> {
  const vhost = await createTestVhost(label);
  const prefix = testDbPrefix(dbLabel);
  // Users named after the vhost, so removing the run's vhosts and users by prefix removes them (test/setup/integration.ts).
  await makeBrokerUsers(vhost.name);
  const config = (overrides: Record<string, string> = {}) => testConfig(vhost.url, prefix, { AMQP_USER_PREFIX: vhost.name, ...overrides });
  return {
    vhost,
    prefix,
    config,
    sagaConfig: (taskQueue, overrides = {}) =>
      config({ TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: `${taskQueue}-${prefix}`, ...overrides }),
    remove: async () => {
      await vhost.remove();
      await dropDatabases(prefix);
    },
  };
}
