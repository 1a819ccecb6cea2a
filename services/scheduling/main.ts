// Starts one scheduling instance: INSTANCE_ID and PORT (default 3300 + instance number) from the environment.
import { connectTemporal } from '../../clients/temporal';
import { loadConfig } from '../../config/env';
import { runService } from '../runtime/run';
import { schedulingService } from './service';

const config = loadConfig();
const temporal = await connectTemporal(config).catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
await runService(schedulingService(temporal, config.TEMPORAL_TASK_QUEUE), { config, afterStop: () => temporal.close() });
