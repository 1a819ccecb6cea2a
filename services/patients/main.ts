// Starts one patients instance: INSTANCE_ID and PORT (default 3100 + instance number) from the environment.
import { runService } from '../../libraries/runtime/run-service';
import { patientsService } from './service';

await runService(patientsService);
