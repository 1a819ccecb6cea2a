/**
 * The one home of Temporal settings: task queue, search attributes, saga
 * deadlines and retry policies. Pure constants: workflow code imports it,
 * so nothing here may do I/O or read the environment (the worker and clients
 * take address and namespace from libraries/config/env.ts).
 */
/** The search attribute types Temporal knows, as the CLI spells them. */
export type SearchAttributeTypeName = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export const temporalConfig = {
  /** Task queue of the saga worker. */
  taskQueue: 'hap-sagas',
  /**
   * Custom search attributes that make every saga findable in the Web UI and
   * with `temporal workflow list --query "ConsultationId='…'"`. The dev server
   * registers them at start.
   */
  searchAttributes: {
    ConsultationId: 'Keyword',
    PatientId: 'Keyword',
    PhysicianId: 'Keyword',
    SagaStatus: 'Keyword',
  } satisfies Record<string, SearchAttributeTypeName>,

  scheduling: {
    /** How long saga 1 waits for both validations before it rejects with TIMEOUT (ms). */
    replyDeadline: 30_000,
  },
  cancellation: {
    /** Saga 2 asks records again after this long without an answer (ms)… */
    firstReaskAfterMs: 10_000,
    /** …doubling each time up to this, and never gives up: a cancellation is never lost. */
    maxReaskIntervalMs: 5 * 60_000,
    /** After this many asks the saga continues as new, so its history stays small however long records is away. */
    asksPerRun: 100,
  },

  activities: {
    /** Database transitions and publishes are short; a stuck attempt is abandoned and retried. */
    startToCloseTimeout: '15 seconds',
    retry: {
      initialInterval: '200 milliseconds',
      backoffCoefficient: 2,
      maximumInterval: '10 seconds',
      // No maximumAttempts: a saga step waits out a broker or database outage.
      nonRetryableErrorTypes: ['InvalidTransitionError', 'EventValidationError'],
    },
  },
} as const;
