import { randomUUID } from 'node:crypto';
import type { JsonHttpClient } from '../../harness/json-http';
import { RetryingClient, type Outcome, type RetryPolicy } from './client';
import { slotStartsAt, type Fixtures } from './fixtures';
import { emptyJournal, type Journal, type LoadCounters } from './journal';

type Operation = 'book' | 'bookInactive' | 'bookTaken' | 'cancel' | 'createRecord' | 'updateRecord' | 'renamePatient' | 'registerPatient';

/** The mix, in relative weights: mostly bookings, some meant to fail, and the work that follows a booking. */
const mix: [Operation, number][] = [
  ['book', 40],
  ['bookInactive', 5],
  ['bookTaken', 5],
  ['cancel', 12],
  ['createRecord', 16],
  ['updateRecord', 8],
  ['renamePatient', 7],
  ['registerPatient', 7],
];
const totalWeight = mix.reduce((sum, [, weight]) => sum + weight, 0);

const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];

interface Booked {
  consultationId: string;
  physicianId: string;
  slot: number;
  records: string[];
}

/**
 * The load of the fault matrix: an open model (arrivals at a constant rate,
 * whatever the system's answers) of a clinic's front desk, through the
 * gateway. It learns which bookings became SCHEDULED by asking for them, so
 * cancellations and records follow real consultations; what was accepted
 * goes into the journal.
 */
export class LoadDriver {
  readonly journal: Journal = emptyJournal();
  /** What requests met, by the phase (scenario) in which they were sent: a retry that lasts into the next one still counts for its own. */
  private readonly counters = new Map<string, LoadCounters>();
  private phase = 'warmup';
  private readonly client: RetryingClient;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pending = new Map<string, Booked>();
  private readonly scheduled: Booked[] = [];
  private nextSlot = 0;
  private arrivals: NodeJS.Timeout | undefined;
  private tracking: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly gateway: JsonHttpClient,
    private readonly fixtures: Fixtures,
    private readonly options: { ratePerSecond: number; retry: RetryPolicy },
  ) {
    this.client = new RetryingClient(gateway, options.retry);
  }

  /** Requests sent from now on count for this phase. */
  enter(phase: string): void {
    this.phase = phase;
  }

  countersOf(phase: string): LoadCounters {
    return { ...(this.counters.get(phase) ?? { requests: 0, clientErrors: 0, gaveUp: 0 }) };
  }

  get totals(): LoadCounters {
    const sum: LoadCounters = { requests: 0, clientErrors: 0, gaveUp: 0 };
    for (const counted of this.counters.values()) {
      sum.requests += counted.requests;
      sum.clientErrors += counted.clientErrors;
      sum.gaveUp += counted.gaveUp;
    }
    return sum;
  }

  start(): void {
    const interval = 1000 / this.options.ratePerSecond;
    this.arrivals = setInterval(() => this.arrive(), interval);
    this.tracking = this.track();
  }

  /** Stops new arrivals and waits for every request already sent to get its answer (or give up). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.arrivals);
    await Promise.allSettled([...this.inFlight]);
    await this.tracking;
  }

  /** Stops at once: requests still retrying give up (a run being interrupted). */
  async abort(): Promise<void> {
    this.client.stop();
    await this.stop();
  }

  private arrive(): void {
    let roll = Math.random() * totalWeight;
    const operation = mix.find(([, weight]) => (roll -= weight) < 0)?.[0] ?? 'book';
    const work = this.run(operation)
      .catch(() => {})
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async send<T>(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<Outcome<T>> {
    const counted = this.counters.get(this.phase) ?? { requests: 0, clientErrors: 0, gaveUp: 0 };
    this.counters.set(this.phase, counted);
    counted.requests++;
    const outcome = await this.client.send<T>(method, path, body);
    counted.clientErrors += outcome.errors;
    if (!outcome.response || outcome.response.status >= 500) counted.gaveUp++;
    return outcome;
  }

  private async run(operation: Operation): Promise<void> {
    switch (operation) {
      case 'book':
        return this.book(pick(this.fixtures.patients)!, pick(this.fixtures.physicians)!, this.nextSlot++, false);
      case 'bookInactive':
        return this.book(pick(this.fixtures.inactivePatients)!, pick(this.fixtures.physicians)!, this.nextSlot++, true);
      case 'bookTaken': {
        const taken = pick(this.scheduled);
        if (!taken) return this.run('book');
        return this.book(pick(this.fixtures.patients)!, taken.physicianId, taken.slot, false);
      }
      case 'cancel': {
        const booked = this.scheduled.splice(Math.floor(Math.random() * this.scheduled.length), 1)[0];
        if (!booked) return this.run('book');
        const { response } = await this.send<unknown>('POST', `/consultations/${booked.consultationId}/cancel`, { reason: 'chaos' });
        if (response?.status === 202) this.journal.cancellations.push(booked.consultationId);
        return;
      }
      case 'createRecord': {
        const booked = pick(this.scheduled);
        if (!booked) return this.run('book');
        const diagnosis = `chaos diagnosis ${randomUUID()}`;
        const { response } = await this.send<{ id: string }>('POST', '/records', {
          consultationId: booked.consultationId,
          diagnosis,
          prescriptions: ['rest'],
        });
        if (response?.status === 201 && response.body?.id) {
          this.journal.records.push({ id: response.body.id, consultationId: booked.consultationId, diagnosis });
          booked.records.push(response.body.id);
        }
        return;
      }
      case 'updateRecord': {
        const record = pick(this.scheduled.flatMap((booked) => booked.records));
        if (!record) return this.run('createRecord');
        await this.send('PATCH', `/records/${record}`, { notes: `seen again at ${new Date().toISOString()}` });
        return;
      }
      case 'renamePatient':
        await this.send('PATCH', `/patients/${pick(this.fixtures.patients)!}`, { name: `Chaos Patient ${randomUUID().slice(0, 8)}` });
        return;
      case 'registerPatient': {
        const email = `chaos-${randomUUID()}@example.org`;
        const { response } = await this.send<{ id: string }>('POST', '/patients', { name: 'Chaos Newcomer', email });
        if (response?.status === 201 && response.body?.id) this.journal.registrations.push({ email, id: response.body.id });
        return;
      }
    }
  }

  private async book(patientId: string, physicianId: string, slot: number, mustBeRejected: boolean): Promise<void> {
    const { response } = await this.send<{ consultationId: string }>('POST', '/consultations', {
      patientId,
      physicianId,
      startsAt: slotStartsAt(slot),
      reason: 'chaos check-up',
    });
    const consultationId = response?.status === 202 ? response.body?.consultationId : undefined;
    if (!consultationId) return;
    this.journal.bookings.push({ consultationId, mustBeRejected });
    if (!mustBeRejected) this.pending.set(consultationId, { consultationId, physicianId, slot, records: [] });
  }

  /** Asks for pending bookings now and again, a few at a time, and moves the SCHEDULED ones where cancellations and records find them. */
  private async track(): Promise<void> {
    while (!this.stopped) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      for (const booked of [...this.pending.values()].slice(0, 25)) {
        const response = await this.gateway.get<{ status: string }>(`/consultations/${booked.consultationId}`).catch(() => undefined);
        const status = response?.status === 200 ? response.body?.status : undefined;
        if (!status || status === 'PENDING') continue;
        this.pending.delete(booked.consultationId);
        if (status === 'SCHEDULED') this.scheduled.push(booked);
      }
    }
  }
}
