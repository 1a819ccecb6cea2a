import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrokerRates } from '../broker/rates';
import type { CeilingResult } from '../ceiling/run';
import { judge, type Verdict } from '../load/verdict';
import type { WindowResult } from '../load/window';
import type { ResourceUsage } from '../resources/monitor';
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
  pollResolutionMs: number;
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
}): BenchResults {
  const { headline, broker, knee } = input;
  const ceiling = input.ceilings.find((result) => result.kind === 'bare');
  const sagaCeiling = input.ceilings.find((result) => result.kind === 'saga');
  const ratio = (over: CeilingResult | undefined) =>
    over && over.sagasPerSecond > 0 ? Math.round((headline.sagasPerSecond / over.sagasPerSecond) * 1000) / 1000 : null;
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
    pollResolutionMs: headline.observer.meanSweepIntervalMs,
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
