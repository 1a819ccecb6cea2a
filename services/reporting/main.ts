// Starts one reporting instance: INSTANCE_ID and PORT (default 3500 + instance number) from the environment.
import { runService } from '../../libraries/runtime/run-service';
import { reportingService } from './service';

await runService(reportingService);
