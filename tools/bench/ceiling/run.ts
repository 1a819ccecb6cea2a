import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startMonitoring, type MonitoredProcess, type ResourceUsage } from '../resources/monitor';
import { LatencyHistogram, type LatencySummary } from '../stats/latency';
import { createEvent } from '../../../libraries/events/catalog';
import { sagaClient } from '../../../services/scheduling';
import { replySignals, sagaId, type SagaState, type ScheduleConsultationInput } from '../../../workflows/definitions';
import { ceilingActivities } from './activities';
import { bareSaga } from './workflow';

/**
 * `bare`: the bare saga (tools/bench/ceiling/workflow.ts), Temporal's own limit for
 * saga 1's activities and signals. `saga`: saga 1's workflow itself, started
 * the way scheduling starts it (search attributes, summary), so its saga
 * journal's cost on Temporal counts too.
 */
export type CeilingKind = 'bare' | 'saga';

const workflowsPath = fileURLToPath(new URL('./workflow.ts', import.meta.url));

/** What every saga of a ceiling is asked (its consultation and correlation ids are fresh each time). */
const input: ScheduleConsultationInput = {
  consultationId: '',
  patientId: '00000000-0000-4000-8000-000000000001',
  physicianId: '00000000-0000-4000-8000-000000000002',
  startsAt: '2100-01-01T08:00:00.000Z',
  durationMinutes: 30,
  reason: null,
  correlationId: '',
};

export interface CeilingOptions {
  address: string;
  namespace: string;
  /** A task queue of its own, so no HAP worker picks these up. */
  taskQueue: string;
  /** Started first and not counted. */
  warmupMs: number;
  durationMs: number;
  /** Workflows in flight at once (a closed loop: the next starts when one completes). */
  concurrency: number;
  /** Processes whose CPU to sample over the counted part. */
  monitored: MonitoredProcess[];
}

export interface CeilingResult {
  kind: CeilingKind;
  sagasPerSecond: number;
  completed: number;
  failed: number;
  concurrency: number;
  durationS: number;
  /** Start to completion of the workflow. */
  latencyMs: LatencySummary;
  resources: ResourceUsage | undefined;
}

/**
 * The most sagas per second Temporal itself allows here, for each kind asked:
 * the workflow run flat out on the same server by a worker in this process
 * with no-op activities, the two replies signalled by the driver once the
 * first publish "happened", as the bridge would.
 */
export async function measureCeilings(options: CeilingOptions, kinds: CeilingKind[]): Promise<CeilingResult[]> {
  const prefix = `${options.taskQueue}-${Date.now().toString(36)}`;
  const connection = await Connection.connect({ address: options.address });
  const client = new Client({ connection, namespace: options.namespace });
  const sagas = sagaClient(client, options.taskQueue);
  let failed = 0;
  // The replies as patients and physicians would send them, signalled one by one as the bridge does.
  const signalReplies = (workflowId: string, consultationId: string) => {
    const handle = client.workflow.getHandle(workflowId);
    const patient = createEvent(
      'PatientValidatedForConsultation',
      { consultationId, patientId: input.patientId, patientName: 'Bench Patient' },
      { sourceService: 'patient-service' },
    );
    const physician = createEvent(
      'PhysicianAvailabilityConfirmed',
      {
        consultationId,
        physicianId: input.physicianId,
        physicianName: 'Dr. Bench',
        specialty: 'benchmarking',
        startsAt: input.startsAt,
        endsAt: '2100-01-01T08:30:00.000Z',
      },
      { sourceService: 'physician-service' },
    );
    Promise.all([
      handle.signal(replySignals.PatientValidatedForConsultation, patient),
      handle.signal(replySignals.PhysicianAvailabilityConfirmed, physician),
    ]).catch(() => failed++);
  };
  const nativeConnection = await NativeConnection.connect({ address: options.address });
  try {
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      workflowsPath,
      activities: ceilingActivities(signalReplies),
    });
    const running = worker.run();
    try {
      const results: CeilingResult[] = [];
      for (const kind of kinds) results.push(await drive(kind));
      return results;
    } finally {
      worker.shutdown();
      await running;
    }
  } finally {
    await nativeConnection.close();
    await connection.close();
  }

  /** Runs one saga of the kind to its end; true when it scheduled. */
  async function runOne(kind: CeilingKind, sagaInput: ScheduleConsultationInput): Promise<boolean> {
    if (kind === 'bare') {
      const workflowId = `${prefix}-${sagaInput.consultationId}`;
      return (await client.workflow.execute(bareSaga, { taskQueue: options.taskQueue, workflowId, args: [sagaInput] })) === 'SCHEDULED';
    }
    await sagas.startScheduling(sagaInput);
    const state = (await client.workflow.getHandle(sagaId('schedule', sagaInput.consultationId)).result()) as SagaState;
    return state.status === 'SCHEDULED';
  }

  async function drive(kind: CeilingKind): Promise<CeilingResult> {
    failed = 0;
    const latency = new LatencyHistogram();
    const started = performance.now();
    const countFrom = started + options.warmupMs;
    const end = countFrom + options.durationMs;
    let completed = 0;
    let monitor: Promise<{ stop(): Promise<ResourceUsage> }> | undefined;
    let resources: Promise<ResourceUsage> | undefined;
    const sampling = setInterval(() => {
      const now = performance.now();
      if (!monitor && now >= countFrom) monitor = startMonitoring(options.monitored);
      if (monitor && !resources && now >= end) resources = monitor.then((m) => m.stop());
    }, 50);
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < end) {
          const consultationId = crypto.randomUUID();
          const sent = performance.now();
          try {
            const scheduled = await runOne(kind, { ...input, consultationId, correlationId: crypto.randomUUID() });
            const done = performance.now();
            if (!scheduled) failed++;
            else if (done >= countFrom && done <= end) {
              completed++;
              latency.record(done - sent);
            }
          } catch {
            failed++;
          }
        }
      }),
    );
    clearInterval(sampling);
    return {
      kind,
      sagasPerSecond: Math.round((completed / (options.durationMs / 1000)) * 10) / 10,
      completed,
      failed,
      concurrency: options.concurrency,
      durationS: options.durationMs / 1000,
      latencyMs: latency.summary(),
      resources: await resources,
    };
  }
}
