import { setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { DomainEvent } from '../libraries/events/catalog';
import { sagaStateQuery, type SagaKind, type SagaState, type SagaStatus } from './definitions';
import { searchAttributes } from './search-attributes';

/**
 * The saga's visible state: answered by the sagaState query, mirrored into
 * the SagaStatus search attribute and the Web UI's current details. It also
 * remembers which replies it has seen, so a duplicate signal changes nothing.
 */
export class SagaJournal {
  readonly state: SagaState;
  private readonly seenEventIds = new Set<string>();

  constructor(kind: SagaKind, consultationId: string) {
    const info = workflowInfo();
    this.state = {
      sagaId: info.workflowId,
      kind,
      consultationId,
      status: 'STARTED',
      steps: [],
      startedAt: new Date(info.startTime).toISOString(),
    };
    setHandler(sagaStateQuery, () => this.state);
  }

  step(name: string, detail?: string): void {
    this.state.steps.push({ name, at: new Date().toISOString(), ...(detail === undefined ? {} : { detail }) });
    setCurrentDetails(`**${this.state.status}** — ${name}${detail ? `: ${detail}` : ''}`);
  }

  status(status: SagaStatus, detail?: string): void {
    this.state.status = status;
    upsertSearchAttributes([{ key: searchAttributes.sagaStatus, value: status }]);
    this.step(status.toLowerCase().replace(/_/g, ' '), detail);
  }

  /** True the first time an event id is seen for this consultation; false for duplicates and strays. */
  accept(event: DomainEvent & { payload: { consultationId: string } }): boolean {
    if (event.payload.consultationId !== this.state.consultationId || this.seenEventIds.has(event.eventId)) return false;
    this.seenEventIds.add(event.eventId);
    this.step(`received ${event.eventType}`);
    return true;
  }

  close(status: SagaStatus, detail?: string): void {
    this.state.closedAt = new Date().toISOString();
    this.status(status, detail);
  }
}
