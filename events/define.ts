import type { z } from 'zod';
import type { SourceService } from './envelope';

/** The four durable topic exchanges, one per domain (docs/specification.md §2.1, docs/design.md §2). */
export const exchanges = {
  patients: 'hap.patients',
  physicians: 'hap.physicians',
  consultations: 'hap.consultations',
  records: 'hap.records',
} as const;
export type Exchange = (typeof exchanges)[keyof typeof exchanges];

export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  exchange: Exchange;
  routingKey: string;
  publishedBy: SourceService;
  /** One sentence for people: what happened. docs/design.md §2.3 is the event catalog for readers; keep it in step. */
  description: string;
  payload: S;
}

/** Identity function that keeps each definition's literal types for the catalog. */
export function defineEvent<S extends z.ZodType>(definition: EventDefinition<S>): EventDefinition<S> {
  return definition;
}
