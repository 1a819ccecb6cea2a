import { afterAll, beforeAll } from 'vitest';
import { Teardown } from '../../libraries/common/teardown';
import { createSandbox, type TestSandbox } from './sandbox';
import { startTestSystem, type TestSystem } from './system';

export interface SagaSystemFixture {
  sandbox: TestSandbox;
  system: TestSystem;
  /** Stops the system and removes the sandbox now, for a block that must shut something down after them; afterwards a no-op. */
  close(): Promise<void>;
}

/**
 * A sandbox with the whole saga system started in it (test/support/system.ts),
 * for the describe block this is called in: made before the block's own
 * beforeAll, stopped and removed after its afterAll. `taskQueue` names the
 * sandbox's Temporal task queue (the sandbox's name unless said).
 */
export function sagaSystemFixture(
  name: string,
  options: { taskQueue?: string } & Parameters<typeof startTestSystem>[1] = {},
): SagaSystemFixture {
  const { taskQueue = name, ...parts } = options;
  const opened = new Teardown();
  const fixture = { close: () => opened.run() } as SagaSystemFixture;
  beforeAll(async () => {
    fixture.sandbox = opened.add(await createSandbox(name), (sandbox) => sandbox.remove());
    fixture.system = opened.add(await startTestSystem(fixture.sandbox.sagaConfig(taskQueue), parts), (system) => system.stop());
  });
  afterAll(() => fixture.close());
  return fixture;
}
