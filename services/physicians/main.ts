// Starts one physicians instance: INSTANCE_ID and PORT (default 3200 + instance number) from the environment.
import { runService } from '../../libraries/runtime/run-service';
import { physiciansService } from './service';

await runService(physiciansService);
