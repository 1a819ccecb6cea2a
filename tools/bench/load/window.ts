import { cpuMsPer, startMonitoring, type MonitoredProcess, type ResourceUsage } from '../resources/monitor';
import { sampleEverySecond } from '../resources/per-second';
import { stackMemoryMiB } from '../resources/stack-memory';
import type { ConnectionCount, PgConnectionCounter } from '../resources/pg-connections';
import { LatencyHistogram, percentile, type LatencySummary } from '../stats/latency';
import { queueDepths, type QueueDepth } from '../../harness/queues';
import { openArrivals, type ArrivalStats } from './arrivals';
import { registerPhysicians, slotStartsAt } from './fixtures';
import type { JsonHttpClient } from '../../harness/json-http';
import type { ConsultationStatus } from '../../../libraries/events/consultations';
import { EventObserver, type ObserverOptions, type ObserverStats } from './event-observer';
import { outcomeOf, type Outcome, type SagaRecord } from './saga-record';

export interface WindowOptions {
  label: string;
  ratePerSecond: number;
  durationMs: number;
  /** After the window, how long to wait for the last sagas before counting them unfinished. */
  drainTimeoutMs: number;
  /** Fraction of the scheduled consultations to cancel at once (saga 2), 0 for none. */
  cancelFraction: number;
  /** Book with `Prefer: wait=<s>`: the answer itself then says SCHEDULED or REJECTED (201), timed as syncAnswerMs. */
  preferWaitS?: number | undefined;
  observer: ObserverOptions;
}

export interface WindowContext {
  gateway: JsonHttpClient;
  scheduling: JsonHttpClient[];
  patientIds: string[];
  /** Where the system's queues are, for their depths when the arrivals stop. */
  vhost: string;
  /** Counts the system's PostgreSQL connections. */
  pgConnections: PgConnectionCounter;
  monitored: MonitoredProcess[];
  log: (line: string) => void;
}

export interface SecondStats {
  second: number;
  sent: number;
  completed: number;
  p99Ms: number;
  inFlight: number;
  /** The machine's CPU in that second, and the part of it no listed process used (other work on the machine). */
  machineCpuPercent: number;
  otherCpuPercent: number;
}

export interface LatencyPoint {
  /** Seconds from the window's start to when the POST was due. */
  sentAtS: number;
  /** Until SCHEDULED was seen; undefined when it never was. */
  latencyMs: number | undefined;
  outcome: Outcome;
}

export interface WindowResult {
  label: string;
  ratePerSecond: number;
  durationS: number;
  sent: number;
  accepted: number;
  completed: number;
  rejected: number;
  errors: number;
  unfinished: number;
  /** Completions per second in the window after its first tenth (at least 1 s), when the pipeline is full. */
  sagasPerSecond: number;
  /** POST to SCHEDULED visible in a scheduling read model. */
  latencyMs: LatencySummary;
  /** POST to 202 through the gateway (to any answer, under Prefer: wait). */
  acceptMs: LatencySummary;
  /** Under Prefer: wait, POST to its 201 with the outcome, and how many came so (the rest were 202 at the deadline). */
  syncAnswer: { answered: number; latencyMs: LatencySummary } | undefined;
  cancellation: { sent: number; completed: number; latencyMs: LatencySummary } | undefined;
  rejectReasons: Record<string, number>;
  perSecond: SecondStats[];
  points: LatencyPoint[];
  maxArrivalLagMs: number;
  drainMs: number;
  observer: ObserverStats;
  resources: ResourceUsage;
  /** CPU time of the listed processes (not "other") per saga sent in the window, in ms of one core. */
  cpuMsPerSaga: number;
  /** PostgreSQL connections of the system's pools at their peak in the window. */
  pgConnections: ConnectionCount;
  /** Messages in the vhost's queues when the arrivals stopped (non-empty queues only). */
  queuesAtWindowEnd: QueueDepth[];
  /** The whole stack's memory (proportional set sizes) when the arrivals stopped, in MiB. */
  stackMemoryMiB: number;
}

/** Selects exactly `fraction` of the indices, spread evenly. */
const selected = (index: number, fraction: number) => Math.floor((index + 1) * fraction) > Math.floor(index * fraction);

/**
 * One measured window: fresh physicians first, then POST /consultations at a
 * constant rate for the duration (open model), each saga followed until
 * SCHEDULED (or CANCELLED, in the cancellation mix) shows in a scheduling read
 * model, then a drain for the last ones. CPU is sampled over the window itself.
 */
export async function runWindow(options: WindowOptions, context: WindowContext): Promise<WindowResult> {
  const { ratePerSecond: rate, durationMs } = options;
  const total = Math.floor((rate * durationMs) / 1000);
  // Each physician gets a consultation every two seconds or so, each at a time of its own: no slot ever collides.
  const physicianIds = await registerPhysicians(context.gateway, Math.min(total, Math.max(10, Math.ceil(rate * 2))), options.label);

  const records: SagaRecord[] = [];
  const latency = new LatencyHistogram();
  const accept = new LatencyHistogram();
  const syncAnswer = new LatencyHistogram();
  const preferWait: Record<string, string> = options.preferWaitS === undefined ? {} : { Prefer: `wait=${options.preferWaitS}` };
  const cancelLatency = new LatencyHistogram();
  let doneCount = 0;
  let allDone: () => void = () => {};
  const observer = new EventObserver(context.scheduling, options.observer);

  const finish = (record: SagaRecord) => {
    record.done = true;
    if (++doneCount === total) allDone();
  };

  const sendCancel = (record: SagaRecord) => {
    const cancel: NonNullable<SagaRecord['cancel']> = { sentAt: performance.now() };
    record.cancel = cancel;
    const failed = (why: string) => {
      cancel.error = why;
      finish(record);
    };
    context.gateway.post(`/consultations/${record.consultationId}/cancel`, { reason: 'bench: cancellation mix' }).then(
      (response) => {
        if (response.status !== 202) return failed(`cancel answered ${response.status}: ${JSON.stringify(response.body).slice(0, 200)}`);
        cancel.acceptedAt = performance.now();
        observer.track(record.consultationId!, record.index, { before: 'SCHEDULED', via: 'CANCELLATION_REQUESTED' }, (status, at) => {
          if (status !== 'CANCELLED') return failed(`cancelled consultation became ${status}`);
          cancel.cancelledAt = at;
          cancelLatency.record(at - cancel.sentAt);
          finish(record);
        });
      },
      (error: unknown) => failed(error instanceof Error ? error.message : String(error)),
    );
  };

  const scheduled = (record: SagaRecord, status: ConsultationStatus, at: number, reason: string | null) => {
    if (status !== 'SCHEDULED') {
      record.rejectedAt = at;
      record.rejectReason = status === 'REJECTED' ? (reason ?? 'unknown') : `became ${status}`;
      return finish(record);
    }
    record.scheduledAt = at;
    latency.record(at - record.dueAt);
    if (record.wantsCancel) sendCancel(record);
    else finish(record);
  };

  const send = (index: number, dueAt: number) => {
    const record: SagaRecord = { index, dueAt, wantsCancel: selected(index, options.cancelFraction), done: false };
    records.push(record);
    const body = {
      patientId: context.patientIds[index % context.patientIds.length],
      physicianId: physicianIds[index % physicianIds.length],
      startsAt: slotStartsAt(Math.floor(index / physicianIds.length)),
      durationMinutes: 30,
    };
    const failed = (why: string) => {
      record.error = why;
      finish(record);
    };
    context.gateway.post<{ consultationId?: string; id?: string }>('/consultations', body, preferWait).then(
      (response) => {
        record.acceptedAt = performance.now();
        accept.record(record.acceptedAt - dueAt);
        // 201 under Prefer: wait carries the consultation itself; the read model's view is still timed below.
        if (response.status === 201) syncAnswer.record(record.acceptedAt - dueAt);
        const consultationId = response.status === 201 ? response.body?.id : response.body?.consultationId;
        if ((response.status !== 202 && response.status !== 201) || !consultationId)
          return failed(`POST /consultations answered ${response.status}: ${JSON.stringify(response.body).slice(0, 200)}`);
        record.consultationId = consultationId;
        observer.track(record.consultationId, index, { before: 'ABSENT', via: 'PENDING' }, (status, at, reason) =>
          scheduled(record, status, at, reason),
        );
      },
      (error: unknown) => failed(error instanceof Error ? error.message : String(error)),
    );
  };

  const drained = new Promise<void>((resolve) => (allDone = resolve));
  const inFlightAtSecond: number[] = [];
  const connections = context.pgConnections.watch();
  await observer.start();
  let windowStart = 0;
  let windowEnd = 0;
  let arrivals: ArrivalStats;
  let resources: ResourceUsage;
  let cpuPerSecond: ResourceUsage[];
  let queuesAtWindowEnd: QueueDepth[];
  let memoryMiB: number;
  let drainMs: number;
  let pgConnections: ConnectionCount;
  try {
    const monitor = await startMonitoring(context.monitored);
    const seconds = await sampleEverySecond(context.monitored, () => inFlightAtSecond.push(records.length - doneCount));
    windowStart = performance.now();
    arrivals = await openArrivals(rate, durationMs, send);
    windowEnd = performance.now();
    cpuPerSecond = await seconds.stop();
    resources = await monitor.stop();
    pgConnections = await connections.stop();
    queuesAtWindowEnd = (await queueDepths(context.vhost)).filter((queue) => queue.messages > 0);
    memoryMiB = await stackMemoryMiB(context.monitored);

    const drainStarted = performance.now();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, options.drainTimeoutMs)))]);
    clearTimeout(timer);
    drainMs = Math.round(performance.now() - drainStarted);
  } finally {
    await observer.stop();
    await connections.stop();
  }

  return summarise();

  function summarise(): WindowResult {
    const count = (outcome: Outcome) => records.filter((record) => outcomeOf(record) === outcome).length;
    const warmupMs = Math.max(1000, durationMs / 10);
    const steadyCompletions = records.filter(
      (r) => r.scheduledAt !== undefined && r.scheduledAt >= windowStart + warmupMs && r.scheduledAt <= windowEnd,
    ).length;
    const rejectReasons: Record<string, number> = {};
    for (const record of records) {
      if (record.rejectReason === undefined) continue;
      rejectReasons[record.rejectReason] = (rejectReasons[record.rejectReason] ?? 0) + 1;
    }
    const errorSamples = records
      .filter((r) => r.error ?? r.cancel?.error)
      .slice(0, 3)
      .map((r) => r.error ?? r.cancel?.error);
    for (const sample of errorSamples) context.log(`  error: ${sample}`);
    const seconds = Math.ceil(durationMs / 1000);
    const perSecond = Array.from({ length: seconds }, (_, second): SecondStats => {
      const from = windowStart + second * 1000;
      const sentThen = records.filter((r) => r.dueAt >= from && r.dueAt < from + 1000);
      return {
        second,
        sent: sentThen.length,
        completed: records.filter((r) => r.scheduledAt !== undefined && r.scheduledAt >= from && r.scheduledAt < from + 1000).length,
        p99Ms: Math.round(
          percentile(
            sentThen.filter((r) => r.scheduledAt !== undefined).map((r) => r.scheduledAt! - r.dueAt),
            99,
          ),
        ),
        inFlight: inFlightAtSecond[second] ?? 0,
        machineCpuPercent: cpuPerSecond[second]?.machineCpuPercent ?? 0,
        otherCpuPercent: cpuPerSecond[second]?.otherCpuPercent ?? 0,
      };
    });
    const cancelsSent = records.filter((r) => r.cancel).length;
    return {
      label: options.label,
      ratePerSecond: rate,
      durationS: durationMs / 1000,
      sent: records.length,
      accepted: records.filter((r) => r.consultationId !== undefined).length,
      completed: records.filter((r) => r.scheduledAt !== undefined).length,
      rejected: count('rejected'),
      errors: count('error'),
      unfinished: count('unfinished'),
      sagasPerSecond: round2(steadyCompletions / ((windowEnd - windowStart - warmupMs) / 1000)),
      latencyMs: latency.summary(),
      acceptMs: accept.summary(),
      syncAnswer: options.preferWaitS === undefined ? undefined : { answered: syncAnswer.count, latencyMs: syncAnswer.summary() },
      cancellation:
        options.cancelFraction > 0 ? { sent: cancelsSent, completed: cancelLatency.count, latencyMs: cancelLatency.summary() } : undefined,
      rejectReasons,
      perSecond,
      points: records.map((r) => ({
        sentAtS: round2((r.dueAt - windowStart) / 1000),
        latencyMs: r.scheduledAt === undefined ? undefined : Math.round(r.scheduledAt - r.dueAt),
        outcome: outcomeOf(r),
      })),
      maxArrivalLagMs: arrivals.maxLagMs,
      drainMs,
      observer: observer.stats(),
      resources,
      cpuMsPerSaga: cpuMsPer(
        resources.processes.reduce((sum, p) => sum + p.cpuPercent, 0),
        resources.wallSeconds,
        records.length,
      ),
      pgConnections,
      queuesAtWindowEnd,
      stackMemoryMiB: memoryMiB,
    };
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
