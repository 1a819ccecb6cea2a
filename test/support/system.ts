import { serviceRegistry } from '../../libraries/config/services';
import type { Config } from '../../libraries/config/env';
import { connectTemporal, type TemporalClient } from '../../libraries/runtime/temporal-client';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { startBridge, type RunningBridge } from '../../bridge/start';
import type { RunningInstance } from '../../libraries/runtime/service-instance';
import { patientsService } from '../../services/patients/service';
import { physiciansService } from '../../services/physicians/service';
import { recordsService } from '../../services/records/service';
import { reportingService } from '../../services/reporting/service';
import { schedulingService } from '../../services/scheduling/service';
import { startSagaWorker, type RunningWorker } from '../../worker/start';
import { patientsClient, physiciansClient, recordsClient, schedulingClient } from './clients';
import type { PatientsClient, PhysiciansClient, RecordsClient, SchedulingClient } from './clients';
import { asPrincipal } from './broker-logins';
import { startTestInstance } from './instances';
import { staff, type Caller } from './tokens';
import { noTelemetry, type Telemetry } from '../../libraries/observability/telemetry';

/** Typed clients of every instance, calling as one caller. */
export interface SystemClients {
  patients: PatientsClient;
  physicians: PhysiciansClient;
  records: RecordsClient;
  scheduling: [SchedulingClient, SchedulingClient];
}

export interface TestSystem extends SystemClients {
  /** The same clients calling as someone else than the front desk (staff). */
  as(caller: Caller): SystemClients;
  /** reporting: only when asked for (parts.reporting). */
  urls: { patients: string; physicians: string; records: string; scheduling: [string, string]; reporting?: string };
  patients: PatientsClient;
  physicians: PhysiciansClient;
  records: RecordsClient;
  /** Scheduling instance-1 and instance-2, each with its own read model. */
  scheduling: [SchedulingClient, SchedulingClient];
  temporal: TemporalClient;
  worker: RunningWorker | undefined;
  bridge: RunningBridge | undefined;
  stop(): Promise<void>;
}

/**
 * Every HAP part in this process, against real RabbitMQ, PostgreSQL and the
 * suite's Temporal dev server: one instance of each participant, two of
 * scheduling, the saga worker and the bridge. `parts` leaves some out, for
 * tests that run them as processes of their own, and adds reporting for the
 * tests that ask it.
 */
export async function startTestSystem(
  config: Config,
  parts: { worker?: boolean; bridge?: boolean; reporting?: boolean; telemetry?: (part: string) => Telemetry } = {},
): Promise<TestSystem> {
  const telemetry = parts.telemetry ?? ((part: string) => noTelemetry(part));
  const stops: (() => Promise<void>)[] = [];
  const track = <T extends { stop(): Promise<void> }>(part: T) => {
    stops.push(() => part.stop());
    return part;
  };
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
  };
  try {
    // The client scheduling starts sagas with, and the tests' own.
    const temporal = await connectTemporal(config, telemetry('scheduling-service'));
    stops.push(() => temporal.close());
    const instance = async (definition: Parameters<typeof startTestInstance>[0], id = 'instance-1') =>
      track(await startTestInstance(definition, config, id, telemetry(serviceRegistry[definition.name].source))) as RunningInstance;
    const [patients, physicians, records] = await Promise.all([
      instance(patientsService),
      instance(physiciansService),
      instance(recordsService),
    ]);
    const reporting = parts.reporting ? await instance(reportingService) : undefined;
    const scheduling = schedulingService(temporal, config.TEMPORAL_TASK_QUEUE);
    const scheduling1 = await instance(scheduling, 'instance-1');
    const scheduling2 = await instance(scheduling, 'instance-2');
    const worker =
      parts.worker === false
        ? undefined
        : track(await startSagaWorker(asPrincipal(config, 'worker'), silentLogger, { port: 0, telemetry: telemetry('saga-worker') }));
    const bridge =
      parts.bridge === false ? undefined : track(await startBridge(asPrincipal(config, 'bridge'), silentLogger, 0, telemetry('bridge')));
    const as = (caller: Caller): SystemClients => ({
      patients: patientsClient(patients.url, caller),
      physicians: physiciansClient(physicians.url, caller),
      records: recordsClient(records.url, caller),
      scheduling: [schedulingClient(scheduling1.url, caller), schedulingClient(scheduling2.url, caller)],
    });
    return {
      ...as(staff),
      as,
      urls: {
        patients: patients.url,
        physicians: physicians.url,
        records: records.url,
        scheduling: [scheduling1.url, scheduling2.url],
        ...(reporting ? { reporting: reporting.url } : {}),
      },
      temporal,
      worker,
      bridge,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
