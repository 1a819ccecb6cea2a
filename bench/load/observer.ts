import { mapConcurrently } from './fixtures';
import type { JsonHttpClient } from '../../harness/json-http';

export type ConsultationStatus = 'PENDING' | 'SCHEDULED' | 'REJECTED' | 'CANCELLATION_REQUESTED' | 'CANCELLED' | 'DONE';

/** A change to wait for: from `before` (ABSENT: not in the read model yet), through `via`, to anything else. */
export interface Transition {
  before: ConsultationStatus | 'ABSENT';
  via: ConsultationStatus;
}

export interface ObserverOptions {
  /** How often each instance's list of consultations in a `via` status is read. */
  intervalMs: number;
  /** A consultation not yet seen in its `via` list is looked up on its own this often… */
  lookupEveryMs: number;
  /** …but no more than this many per instance and sweep, so a backlog does not turn into a flood of GETs. */
  maxLookupsPerSweep: number;
  /** Consultations gone from their list, looked up per instance and sweep at most (one GET per saga, in the normal case). */
  maxConfirmsPerSweep: number;
}

export interface ObserverStats {
  sweeps: number;
  /** Mean time from one sweep's start to the next: the resolution of "visible at". */
  meanSweepIntervalMs: number;
  listRequests: number;
  lookups: number;
  failedRequests: number;
  requestsPerSecond: number;
  meanListMs: number;
  /** Settled because it left its `via` list (time known to a sweep interval)… */
  settledFromList: number;
  /** …or found settled by a single lookup (time known to lookupEveryMs). */
  settledFromLookup: number;
}

interface Tracked {
  id: string;
  client: JsonHttpClient;
  transition: Transition;
  phase: 'before' | 'via' | 'left';
  /** When a list first came back without it, after it had been in it. */
  leftAt: number | undefined;
  lastLookupAt: number;
  settle: (status: ConsultationStatus, at: number, reason: string | null) => void;
}

interface ConsultationItem {
  id: string;
  status: ConsultationStatus;
  statusReason: string | null;
}

/**
 * Sees consultations change status in scheduling read models, cheaply
 * enough not to load the system it measures. Each sweep reads, per
 * instance, GET /consultations?status=<via> (e.g. PENDING): one request
 * however many sagas are in flight. A consultation that was in that list
 * and is gone from it has moved on; one GET /consultations/:id says where to,
 * and the time counted is when the list without it arrived (so it was
 * visible at most one sweep interval earlier). One never seen in the list
 * (not projected yet, or it passed through quicker than a sweep) is looked
 * up on its own every lookupEveryMs.
 */
export class ReadModelObserver {
  private readonly tracked = new Map<string, Tracked>();
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly counts = {
    sweeps: 0,
    listRequests: 0,
    lookups: 0,
    failedRequests: 0,
    listMs: 0,
    settledFromList: 0,
    settledFromLookup: 0,
  };
  private firstSweepAt = 0;
  private lastSweepAt = 0;

  constructor(
    private readonly instances: JsonHttpClient[],
    private readonly options: ObserverOptions,
  ) {}

  /** Follow one consultation, on instance `instance` (modulo the number of instances), until it gets past `transition.via`. */
  track(id: string, instance: number, transition: Transition, settle: Tracked['settle']): void {
    const client = this.instances[instance % this.instances.length]!;
    this.tracked.set(id, { id, client, transition, phase: 'before', leftAt: undefined, lastLookupAt: performance.now(), settle });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const started = performance.now();
        if (this.tracked.size > 0) await this.sweep(started);
        const wait = this.options.intervalMs - (performance.now() - started);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  stats(): ObserverStats {
    const c = this.counts;
    const spanMs = this.lastSweepAt - this.firstSweepAt;
    return {
      sweeps: c.sweeps,
      meanSweepIntervalMs: c.sweeps > 1 ? round1(spanMs / (c.sweeps - 1)) : 0,
      listRequests: c.listRequests,
      lookups: c.lookups,
      failedRequests: c.failedRequests,
      requestsPerSecond: spanMs > 0 ? round1(((c.listRequests + c.lookups) / spanMs) * 1000) : 0,
      meanListMs: c.listRequests ? round1(c.listMs / c.listRequests) : 0,
      settledFromList: c.settledFromList,
      settledFromLookup: c.settledFromLookup,
    };
  }

  private async sweep(started: number): Promise<void> {
    if (this.counts.sweeps++ === 0) this.firstSweepAt = started;
    this.lastSweepAt = started;
    const groups = new Map<JsonHttpClient, Map<ConsultationStatus, Tracked[]>>();
    for (const entry of this.tracked.values()) {
      const byVia = groups.get(entry.client) ?? new Map<ConsultationStatus, Tracked[]>();
      groups.set(entry.client, byVia);
      byVia.set(entry.transition.via, [...(byVia.get(entry.transition.via) ?? []), entry]);
    }
    await Promise.all([...groups].map(([client, byVia]) => this.sweepInstance(client, byVia)));
  }

  private async sweepInstance(client: JsonHttpClient, byVia: Map<ConsultationStatus, Tracked[]>): Promise<void> {
    for (const [via, entries] of byVia) {
      const listed = await this.list(client, via);
      if (!listed) continue;
      for (const entry of entries) {
        if (listed.ids.has(entry.id)) {
          entry.phase = 'via';
          entry.leftAt = undefined;
        } else if (entry.phase === 'via') {
          entry.phase = 'left';
          entry.leftAt = listed.at;
        }
      }
    }
    const now = performance.now();
    const entries = [...byVia.values()].flat();
    const confirms = entries.filter((entry) => entry.phase === 'left').slice(0, this.options.maxConfirmsPerSweep);
    const lookups = entries
      .filter((entry) => entry.phase === 'before' && now - entry.lastLookupAt >= this.options.lookupEveryMs)
      .sort((a, b) => a.lastLookupAt - b.lastLookupAt)
      .slice(0, this.options.maxLookupsPerSweep);
    const due = [...confirms, ...lookups];
    await mapConcurrently(due.length, due.length, (i) => this.lookUp(due[i]!));
  }

  private async list(client: JsonHttpClient, status: ConsultationStatus): Promise<{ ids: Set<string>; at: number } | undefined> {
    const sent = performance.now();
    this.counts.listRequests++;
    try {
      const response = await client.get<{ items: ConsultationItem[] }>(`/consultations?status=${status}`);
      const at = performance.now();
      this.counts.listMs += at - sent;
      if (response.status !== 200) throw new Error(`answer ${response.status}`);
      return { ids: new Set((response.body?.items ?? []).map((item) => item.id)), at };
    } catch {
      this.counts.failedRequests++;
      return undefined;
    }
  }

  private async lookUp(entry: Tracked): Promise<void> {
    this.counts.lookups++;
    try {
      const response = await entry.client.get<ConsultationItem>(`/consultations/${entry.id}`);
      const at = performance.now();
      entry.lastLookupAt = at;
      const status: ConsultationStatus | 'ABSENT' | undefined =
        response.status === 404 ? 'ABSENT' : response.status === 200 ? response.body?.status : undefined;
      if (status === undefined) throw new Error(`answer ${response.status}`);
      if (!this.tracked.has(entry.id)) return;
      if (status === entry.transition.via) {
        entry.phase = 'via';
        entry.leftAt = undefined;
      } else if (status === entry.transition.before || status === 'ABSENT') {
        entry.phase = 'before';
      } else {
        this.tracked.delete(entry.id);
        if (entry.leftAt !== undefined) this.counts.settledFromList++;
        else this.counts.settledFromLookup++;
        entry.settle(status, entry.leftAt ?? at, response.body?.statusReason ?? null);
      }
    } catch {
      this.counts.failedRequests++;
    }
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
