import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrokerRates } from '../broker/rates';
import type { CeilingResult } from '../ceiling/run';
import { judge, type Verdict } from '../load/verdict';
import type { WindowResult } from '../load/window';
import { cpuMsPer, type ResourceUsage } from '../resources/monitor';
import type { LatencySummary } from '../stats/latency';
import type { CodeVersion } from '../../harness/git';
import type { QueueDepth } from '../../harness/queues';
import { latencySvg } from './svg';

export interface BenchResults {
  startedAt: string;
  mode: 'rate' | 'step';
  machine: { cores: number; memoryGiB: number; loadAverage: number[] };
  code: CodeVersion | null;
  /** The run's options and the settings of the launched processes. */
  options: Record<string, unknown>;
  settings: Record<string, string>;
  temporalFlags: string[];
  /** Headline numbers: the window at --rate, or the knee in step mode (the last step before it, if none held). */
  ratePerSecond: number;
  sagasPerSecond: number;
  latencyMs: LatencySummary;
  acceptLatencyMs: LatencySummary;
  /** The bare saga's ceiling, and the headline sagas/s over it. */
  ceilingSagasPerSecond: number | null;
  ceilingRatio: number | null;
  /** Saga 1's own workflow's ceiling (its journal included), and the headline over it. */
  sagaCeilingSagasPerSecond: number | null;
  sagaCeilingRatio: number | null;
  brokerPublishPerSecond: number | null;
  brokerConsumePerSecond: number | null;
  sent: number;
  completed: number;
  failed: number;
  errors: number;
  rejected: number;
  unfinished: number;
  sustained: Verdict;
  /** How the bench saw sagas settle (tools/bench/load/event-observer.ts). */
  observer: WindowResult['observer'];
  /** Step mode: the highest rate that held, its completions per second and latency. */
  kneeSagasPerSecond: number | null;
  kneeLatencyMs: { p50: number; p99: number } | null;
  /** The whole machine's CPU per saga sent at the knee (the headline window without one), in ms of one core. */
  cpuMsPerSaga: number;
  /** Temporal's and the bench worker's CPU per workflow during the bare ceiling: what a saga costs with nothing behind it. */
  ceilingCpuMsPerWorkflow: number | null;
  /** cpuMsPerSaga / ceilingCpuMsPerWorkflow. */
  costRatio: number | null;
  /** The knee over the bare-saga ceiling of the same run. */
  kneeCeilingRatio: number | null;
  /** The whole stack's memory (every HAP process, Temporal, RabbitMQ, PostgreSQL; shared pages once), in MiB. */
  rssMiB: { atRest: number; atKnee: number };
  /** Where the bench's Temporal dev server keeps its state. */
  temporalPersistence: 'memory' | 'file';
  resources: ResourceUsage;
  queues: QueueDepth[];
  ceiling: CeilingResult | null;
  sagaCeiling: CeilingResult | null;
  broker: BrokerRates | null;
  knee: { ratePerSecond: number; sagasPerSecond: number; p50: number; p99: number } | null;
  stopReason: string | null;
  windows: (WindowResult & { verdict: Verdict })[];
}

export function buildResults(input: {
  startedAt: Date;
  code: CodeVersion | undefined;
  mode: 'rate' | 'step';
  options: Record<string, unknown>;
  settings: Record<string, string>;
  temporalFlags: string[];
  windows: WindowResult[];
  /** The window the headline numbers come from. */
  headline: WindowResult;
  knee: WindowResult | undefined;
  stopReason: string | undefined;
  ceilings: CeilingResult[];
  broker: BrokerRates | undefined;
  queues: QueueDepth[];
  memoryAtRestMiB: number;
  temporalPersistence: 'memory' | 'file';
}): BenchResults {
  const { headline, broker, knee } = input;
  const ceiling = input.ceilings.find((result) => result.kind === 'bare');
  const sagaCeiling = input.ceilings.find((result) => result.kind === 'saga');
  const ratio = (over: CeilingResult | undefined) =>
    over && over.sagasPerSecond > 0 ? Math.round((headline.sagasPerSecond / over.sagasPerSecond) * 1000) / 1000 : null;
  const { resources } = headline;
  const cpuMsPerSaga = cpuMsPer(resources.machineCpuPercent, resources.wallSeconds, headline.sent);
  const ceilingCpuMsPerWorkflow = ceiling ? workflowCpuMs(ceiling) : null;
  return {
    startedAt: input.startedAt.toISOString(),
    mode: input.mode,
    code: input.code ?? null,
    machine: {
      cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
    },
    options: input.options,
    settings: input.settings,
    temporalFlags: input.temporalFlags,
    ratePerSecond: headline.ratePerSecond,
    sagasPerSecond: headline.sagasPerSecond,
    latencyMs: headline.latencyMs,
    acceptLatencyMs: headline.acceptMs,
    ceilingSagasPerSecond: ceiling?.sagasPerSecond ?? null,
    ceilingRatio: ratio(ceiling),
    sagaCeilingSagasPerSecond: sagaCeiling?.sagasPerSecond ?? null,
    sagaCeilingRatio: ratio(sagaCeiling),
    brokerPublishPerSecond: broker ? Math.round(broker.publishConfirmedPerSecond) : null,
    brokerConsumePerSecond: broker ? Math.round(broker.consumePerSecond) : null,
    sent: headline.sent,
    completed: headline.completed,
    failed: headline.errors + headline.rejected,
    errors: headline.errors,
    rejected: headline.rejected,
    unfinished: headline.unfinished,
    sustained: judge(headline),
    observer: headline.observer,
    kneeSagasPerSecond: knee?.sagasPerSecond ?? null,
    kneeLatencyMs: knee ? { p50: knee.latencyMs.p50, p99: knee.latencyMs.p99 } : null,
    cpuMsPerSaga,
    ceilingCpuMsPerWorkflow,
    costRatio: ceilingCpuMsPerWorkflow ? round(cpuMsPerSaga / ceilingCpuMsPerWorkflow, 2) : null,
    kneeCeilingRatio: knee && ceiling?.sagasPerSecond ? round(knee.sagasPerSecond / ceiling.sagasPerSecond, 3) : null,
    rssMiB: { atRest: input.memoryAtRestMiB, atKnee: headline.stackMemoryMiB },
    temporalPersistence: input.temporalPersistence,
    resources: headline.resources,
    queues: input.queues,
    ceiling: ceiling ?? null,
    sagaCeiling: sagaCeiling ?? null,
    broker: broker
      ? (Object.fromEntries(Object.entries(broker).map(([key, value]) => [key, Math.round(value)])) as unknown as BrokerRates)
      : null,
    knee: knee
      ? { ratePerSecond: knee.ratePerSecond, sagasPerSecond: knee.sagasPerSecond, p50: knee.latencyMs.p50, p99: knee.latencyMs.p99 }
      : null,
    stopReason: input.stopReason ?? null,
    windows: input.windows.map((window) => ({ ...window, verdict: judge(window) })),
  };
}

/** What Temporal and the bench's worker spent per workflow during a ceiling. */
function workflowCpuMs(ceiling: CeilingResult): number | null {
  const processes = ceiling.resources?.processes.filter((p) => p.name === 'temporal dev server' || p.name === 'bench (driver)');
  if (!processes?.length || ceiling.sagasPerSecond <= 0) return null;
  const cpuPercent = processes.reduce((sum, p) => sum + p.cpuPercent, 0);
  return Math.round((cpuPercent * 10) / ceiling.sagasPerSecond);
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** bench-results/<timestamp>.json and the latency plot next to it, <timestamp>.svg. */
export async function writeResults(results: BenchResults, outDir: string, stamp: string): Promise<{ json: string; svg: string }> {
  await mkdir(outDir, { recursive: true });
  const json = path.join(outDir, `${stamp}.json`);
  const svg = path.join(outDir, `${stamp}.svg`);
  await writeFile(json, JSON.stringify(results, null, 2) + '\n');
  const title =
    results.mode === 'step'
      ? `HAP saga latency, step mode${results.knee ? ` — knee at ${results.knee.ratePerSecond}/s` : ''} (${stamp})`
      : `HAP saga latency at ${results.ratePerSecond}/s — p50 ${results.latencyMs.p50} ms, p99 ${results.latencyMs.p99} ms (${stamp})`;
  await writeFile(svg, latencySvg(results.windows, title));
  return { json, svg };
}
