import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One process's metrics: Node's defaults (CPU, memory, event loop, GC) and
 * HAP's own, every series labelled with the process's service and instance.
 * Made once per process and passed to whatever counts (the HTTP frame, the
 * consumers, the broker); served at GET /metrics in Prometheus text format.
 */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'method' | 'status'>;
  httpDuration: Histogram<'route' | 'method'>;
  messagesConsumed: Counter<'queue' | 'outcome'>;
  messagesPublished: Counter<'exchange' | 'routing_key'>;
  /**
   * What is read at scrape time rather than counted: outbox rows not yet
   * confirmed (hap_outbox_pending), and the depth of each DLQ of this
   * process's queues (hap_dlq_messages). A read that fails leaves the last
   * value. Each source is given once per process.
   */
  observe(sources: ScrapeSources): void;
}

export interface ScrapeSources {
  outboxPending?: () => Promise<number>;
  dlqMessages?: () => Promise<Record<string, number>>;
  /** An instance's read model: how far behind (hap_read_model_lag_seconds) and what waits in its queue (hap_read_model_waiting). */
  readModel?: () => Promise<{ secondsBehind: number; waiting: number }>;
}

export function createMetrics(labels: { service: string; instance: string }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  // The event-loop delay histogram samples every 100 ms, not every 10: at 10 ms its timer alone
  // cost an idle process about 7 ms of CPU a second, and stalls worth alerting on last longer.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const registers = [registry];
  return {
    observe: (sources) => observeAtScrape(registry, sources),
    registry,
    httpRequests: new Counter({
      name: 'hap_http_requests_total',
      help: 'HTTP requests answered, by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'hap_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route template and method',
      labelNames: ['route', 'method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    messagesConsumed: new Counter({
      name: 'hap_messages_consumed_total',
      help: 'Deliveries settled by a consumer, by queue and outcome (acked, retried, dead_lettered, duplicate)',
      labelNames: ['queue', 'outcome'],
      registers,
    }),
    messagesPublished: new Counter({
      name: 'hap_messages_published_total',
      help: 'Messages the broker confirmed, by exchange and routing key',
      labelNames: ['exchange', 'routing_key'],
      registers,
    }),
  };
}

/** A gauge set from `value()` at each scrape; a read that fails leaves the last value (the source is away, not zero). */
function scrapedGauge(registry: Registry, name: string, help: string, value: () => Promise<number>): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      await value().then(
        (current) => this.set(current),
        () => {},
      );
    },
  });
}

/** The gauges of what is read at scrape time, made only where there is something to read. */
function observeAtScrape(registry: Registry, sources: ScrapeSources): void {
  const { outboxPending, dlqMessages, readModel } = sources;
  if (readModel) {
    // Both gauges come from one read per scrape.
    let pending: { at: number; report: ReturnType<typeof readModel> } | undefined;
    const read = () => {
      if (!pending || Date.now() - pending.at > 1000) pending = { at: Date.now(), report: readModel() };
      return pending.report;
    };
    scrapedGauge(
      registry,
      'hap_read_model_lag_seconds',
      "How far this instance's read model is behind: 0 with nothing waiting, else the age of the newest change it shows",
      async () => (await read()).secondsBehind,
    );
    scrapedGauge(
      registry,
      'hap_read_model_waiting',
      "Events in this instance's queue not yet applied to its read model",
      async () => (await read()).waiting,
    );
  }
  if (outboxPending) scrapedGauge(registry, 'hap_outbox_pending', 'Outbox rows written and not yet confirmed by the broker', outboxPending);
  if (dlqMessages) {
    new Gauge({
      name: 'hap_dlq_messages',
      help: "Messages parked in the dead-letter queue of each of this process's queues",
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        const depths = await dlqMessages().catch(() => ({}) as Record<string, number>);
        for (const [queue, depth] of Object.entries(depths)) this.set({ queue }, depth);
      },
    });
  }
}
