import type { BufferedMetricUpdate } from '@temporalio/worker';
import type { Registry } from 'prom-client';

/** What the saga worker's Runtime buffers for it (a MetricsBuffer from @temporalio/worker). */
export interface SdkMetricsSource {
  retrieveUpdates(): Iterable<BufferedMetricUpdate>;
}

// Seconds: the buffer is made with useSecondsForDurations.
const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

interface Point {
  labels: Record<string, string>;
  value: number;
  /** Histograms: observations per bucket (not cumulative), their sum. */
  counts?: number[];
  sum?: number;
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  points: Map<string, Point>;
}

/**
 * Serves the Temporal SDK's own metrics (polls, task latencies, sticky cache,
 * slots) and whatever workflows record through their metric meter (the saga
 * counters) from the process's registry, so one scrape of GET /metrics has
 * them all. The SDK hands over updates in a buffer; they are drained at every
 * scrape and every few seconds between, so the buffer never fills.
 */
export function exposeSdkMetrics(registry: Registry, source: SdkMetricsSource, drainEveryMs = 5_000): { stop(): void } {
  const families = new Map<string, Family>();
  const drain = () => {
    for (const update of source.retrieveUpdates()) record(families, update, registry, drain);
  };
  const timer = setInterval(drain, drainEveryMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

function record(families: Map<string, Family>, update: BufferedMetricUpdate, registry: Registry, drain: () => void): void {
  const name = update.metric.name.replace(/[^a-zA-Z0-9_:]/g, '_');
  let family = families.get(name);
  if (!family) {
    const { kind, description } = update.metric;
    family = {
      name,
      help: description || `Temporal SDK metric ${name}`,
      type: kind === 'histogram' ? 'histogram' : kind === 'counter' ? 'counter' : 'gauge',
      points: new Map(),
    };
    families.set(name, family);
    registry.registerMetric(asPromMetric(family, drain) as never);
  }
  const labels = Object.fromEntries(Object.entries(update.attributes).map(([key, value]) => [key, String(value)]));
  const key = JSON.stringify(Object.entries(labels).sort());
  let point = family.points.get(key);
  if (!point) {
    point = { labels, value: 0, ...(family.type === 'histogram' ? { counts: buckets.map(() => 0), sum: 0 } : {}) };
    family.points.set(key, point);
  }
  if (family.type === 'histogram') {
    const index = buckets.findIndex((bound) => update.value <= bound);
    if (index >= 0) point.counts![index]! += 1;
    point.sum! += update.value;
    point.value += 1;
  } else if (update.metric.kind === 'gauge') {
    point.value = update.value;
  } else {
    point.value += update.value; // counters and up-down counters send deltas
  }
}

/** prom-client's shape of a metric (what Registry#metrics reads): its values drained fresh on every scrape. */
function asPromMetric(family: Family, drain: () => void) {
  return {
    name: family.name,
    help: family.help,
    type: family.type,
    aggregator: 'sum',
    reset: () => family.points.clear(),
    get: () => {
      drain();
      return {
        name: family.name,
        help: family.help,
        type: family.type,
        aggregator: 'sum',
        values: [...family.points.values()].flatMap(valuesOf(family)),
      };
    },
  };
}

interface PromValue {
  metricName?: string;
  labels: Record<string, string>;
  value: number;
}

const valuesOf =
  (family: Family) =>
  (point: Point): PromValue[] => {
    if (family.type !== 'histogram') return [{ labels: point.labels, value: point.value }];
    let cumulative = 0;
    return [
      ...buckets.map((bound, index) => {
        cumulative += point.counts![index]!;
        return { metricName: `${family.name}_bucket`, labels: { ...point.labels, le: String(bound) }, value: cumulative };
      }),
      { metricName: `${family.name}_bucket`, labels: { ...point.labels, le: '+Inf' }, value: point.value },
      { metricName: `${family.name}_sum`, labels: point.labels, value: point.sum! },
      { metricName: `${family.name}_count`, labels: point.labels, value: point.value },
    ];
  };
