import { metricMeter, workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { SagaKind, SagaState } from './definitions';

/**
 * Counts and times every saga from inside the workflow, through Temporal's
 * workflow metric meter: it records nothing while a history is replayed, so a
 * saga resumed on another worker is not counted twice. The saga worker
 * drains the SDK's metrics into its GET /metrics (libraries/observability/metrics/temporal-sdk.ts).
 * A workflow interceptor module (the worker lists it), not a workflow.
 */
const kinds: Record<string, SagaKind> = { scheduleConsultation: 'schedule', cancelConsultation: 'cancel' };

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        const kind = kinds[workflowInfo().workflowType] ?? 'other';
        metricMeter.createCounter('hap_saga_started_total', 'sagas', 'Sagas started, by kind').add(1, { kind });
        let outcome = 'failed';
        try {
          const result = await next(input);
          outcome = (result as Partial<SagaState> | undefined)?.status ?? 'completed';
          return result;
        } finally {
          const seconds = (Date.now() - workflowInfo().startTime.getTime()) / 1000;
          metricMeter.createCounter('hap_saga_completed_total', 'sagas', 'Sagas ended, by kind and outcome').add(1, { kind, outcome });
          metricMeter
            .createHistogram('hap_saga_duration_seconds', 'float', 's', 'Start to end of a saga, by kind')
            .record(seconds, { kind });
        }
      },
    },
  ],
});
