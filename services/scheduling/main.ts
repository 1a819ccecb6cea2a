// Starts one scheduling instance: INSTANCE_ID and PORT (default 3300 + instance number) from the environment.
import { connectTemporal } from '../../clients/temporal';
import { loadConfig } from '../../config/env';
import { serviceRegistry } from '../../config/services';
import { runService } from '../../runtime/run-service';
import { schedulingService } from './service';

const config = loadConfig();
await runService(
  async (telemetry) => {
    const temporal = await connectTemporal(config, telemetry);
    return { definition: schedulingService(temporal, config.TEMPORAL_TASK_QUEUE), release: () => temporal.close() };
  },
  { config, name: serviceRegistry.scheduling.source },
);
