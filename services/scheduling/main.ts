// Starts one scheduling instance: INSTANCE_ID and PORT (default 3300 + instance number) from the environment.
import { connectTemporal } from '../../libraries/runtime/temporal-client';
import { loadConfig } from '../../libraries/config/env';
import { serviceRegistry } from '../../libraries/config/services';
import { runService } from '../../libraries/runtime/run-service';
import { schedulingService } from './service';

const config = loadConfig();
await runService(
  async (telemetry) => {
    const temporal = await connectTemporal(config, telemetry);
    return { definition: schedulingService(temporal, config.TEMPORAL_TASK_QUEUE), release: () => temporal.close() };
  },
  { config, name: serviceRegistry.scheduling.source },
);
