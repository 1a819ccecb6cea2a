// Starts one clinical records instance: INSTANCE_ID and PORT (default 3400 + instance number) from the environment.
import { runService } from '../../libraries/runtime/run-service';
import { recordsService } from './service';

await runService(recordsService);
