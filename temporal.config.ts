/**
 * The one home of Temporal settings: namespace, task queue, search attributes,
 * and (as the sagas land) their deadlines and retry policies. Pure constants
 * and functions of the typed config: workflow code may import it.
 */
import type { SearchAttributeTypeName } from './toolchain/dev-server';

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
} as const;
