import type { JsonHttpClient } from '../harness/json-http';
import { slotStartsAt } from './load/fixtures';
import type { ChaosSystem } from './system';

/**
 * One booking made end to end after a fault is repaired: the system has
 * recovered when every process is ready and a new consultation becomes
 * SCHEDULED (saga, both participants, the bridge, the read model).
 * Canary bookings have a physician of their own, whom the load never books.
 */
export class Canary {
  private next = 0;

  constructor(
    private readonly gateway: JsonHttpClient,
    private readonly people: { patientId: string; physicianId: string },
  ) {}

  /** Milliseconds until the system served a booking again, or undefined if it did not within the deadline. */
  async timeToRecover(system: ChaosSystem, deadlineMs: number): Promise<number | undefined> {
    const started = Date.now();
    const deadline = started + deadlineMs;
    const pause = () => new Promise((resolve) => setTimeout(resolve, 250));
    while (!(await system.ready())) {
      if (Date.now() > deadline) return undefined;
      await pause();
    }
    const key = `canary-${process.pid}-${this.next}`;
    const body = { ...this.people, startsAt: slotStartsAt(this.next++), reason: 'canary' };
    let refused: string | undefined;
    let consultationId: string | undefined;
    while (Date.now() < deadline) {
      if (!consultationId) {
        const answer = await this.gateway
          .post<{ consultationId: string }>('/consultations', body, { 'idempotency-key': key })
          .catch(() => undefined);
        if (answer?.status === 202) consultationId = answer.body?.consultationId;
        else if (answer && answer.status < 500) refused = `the canary booking was refused: ${answer.status} ${JSON.stringify(answer.body)}`;
        if (refused) throw new Error(refused);
      } else {
        const answer = await this.gateway.get<{ status: string }>(`/consultations/${consultationId}`).catch(() => undefined);
        if (answer?.status === 200 && answer.body?.status === 'SCHEDULED') return Date.now() - started;
        if (answer?.status === 200 && answer.body?.status !== 'PENDING') throw new Error(`the canary booking ended ${answer.body?.status}`);
      }
      await pause();
    }
    return undefined;
  }
}
