import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { cancelConsultation, scheduleConsultation } from '../../workflows';
import { sagaId, type SagaKind, type SagaState, sagaStateQuery } from '../../workflows/definitions';
import { searchAttributes } from '../../workflows/search-attributes';

type SagaWorkflow = typeof scheduleConsultation | typeof cancelConsultation;

/**
 * Scheduling's side of the sagas: starting them (one per kind and
 * consultation: the workflow id refuses a second once the first has run) and
 * reading their state. A start that gets no answer within startDeadlineMs
 * fails with DEADLINE_EXCEEDED: the caller answers 503 "outcome unknown",
 * and a retry is safe because the saga id is derived from the request.
 */
export function sagaClient(client: Client, taskQueue: string, startDeadlineMs = 5_000) {
  // The workflow function itself, as the samples pass it: its name is the workflow type and its parameter types check `input`.
  const start = async <W extends SagaWorkflow>(
    kind: SagaKind,
    workflow: W,
    input: Parameters<W>[0],
    ids: { patientId: string; physicianId: string },
    summary: string,
    memo?: Record<string, string>,
  ) => {
    const id = sagaId(kind, input.consultationId);
    try {
      // Bounded: with Temporal away the client would retry for about 20 s while the request waits.
      await client.withDeadline(Date.now() + startDeadlineMs, () =>
        client.workflow.start<SagaWorkflow>(workflow, {
          taskQueue,
          ...(memo ? { memo } : {}),
          workflowId: id,
          args: [input] as Parameters<W>,
          // A saga that completed is never started again for the same consultation; one that failed may be.
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
          typedSearchAttributes: [
            { key: searchAttributes.consultationId, value: input.consultationId },
            { key: searchAttributes.patientId, value: ids.patientId },
            { key: searchAttributes.physicianId, value: ids.physicianId },
            { key: searchAttributes.sagaStatus, value: 'STARTED' },
          ],
          staticSummary: summary,
        }),
      );
      return { sagaId: id, started: true };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { sagaId: id, started: false };
      throw error;
    }
  };

  return {
    /** `request` fingerprints the booking an Idempotency-Key stands for; it is kept in the saga's memo. */
    startScheduling: (input: Parameters<typeof scheduleConsultation>[0], request?: string) =>
      start(
        'schedule',
        scheduleConsultation,
        input,
        input,
        `Schedule consultation ${input.consultationId}: patient ${input.patientId} with physician ${input.physicianId} at ${input.startsAt}`,
        request ? { request } : undefined,
      ),

    /** The request fingerprint a scheduling saga was started with, if any. */
    async schedulingRequest(consultationId: string): Promise<string | undefined> {
      const { memo } = await client.workflow.getHandle(sagaId('schedule', consultationId)).describe();
      return typeof memo?.request === 'string' ? memo.request : undefined;
    },

    /** Whether a scheduling saga was started for the consultation (its first step may not have written it yet); Temporal away counts as yes. */
    async schedulingStarted(consultationId: string): Promise<boolean> {
      try {
        await client.workflow.getHandle(sagaId('schedule', consultationId)).describe();
        return true;
      } catch (error) {
        return !(error instanceof WorkflowNotFoundError);
      }
    },

    startCancellation: (input: Parameters<typeof cancelConsultation>[0], ids: { patientId: string; physicianId: string }) =>
      start('cancel', cancelConsultation, input, ids, `Cancel consultation ${input.consultationId} and void its records`),

    /**
     * The saga's outcome, waiting for it up to waitMs: its final state once the
     * workflow completed (its result, long-polled by the client; nothing
     * reads a read model), or undefined when it is still running at the
     * deadline, ended other than by completing, or cannot be asked.
     */
    async outcome(kind: SagaKind, consultationId: string, waitMs: number): Promise<SagaState | undefined> {
      const signal = AbortSignal.timeout(waitMs);
      try {
        return (await client.withAbortSignal(signal, () => client.workflow.getHandle(sagaId(kind, consultationId)).result())) as SagaState;
      } catch {
        // The deadline, a saga that failed, or Temporal away: the saga is started either way, so the 202 is the true answer.
        return undefined;
      }
    },

    /** Both sagas of a consultation that exist, oldest first: a running one answers its query, a closed one its result. */
    async states(consultationId: string): Promise<SagaState[]> {
      const states: SagaState[] = [];
      for (const kind of ['schedule', 'cancel'] as const) {
        const handle = client.workflow.getHandle(sagaId(kind, consultationId));
        try {
          const description = await handle.describe();
          if (description.status.name === 'RUNNING') states.push(await handle.query(sagaStateQuery));
          else if (description.status.name === 'COMPLETED') states.push((await handle.result()) as SagaState);
          else
            states.push({
              sagaId: handle.workflowId,
              kind,
              consultationId,
              status: description.status.name as SagaState['status'],
              steps: [],
              startedAt: description.startTime.toISOString(),
              ...(description.closeTime ? { closedAt: description.closeTime.toISOString() } : {}),
            });
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
      return states;
    },
  };
}
export type SagaClient = ReturnType<typeof sagaClient>;
