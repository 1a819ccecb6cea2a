import type { z } from 'zod';
import type { BrokerPrincipal } from '../config/broker-principals';
import { serviceRegistry, type Exchange, type PublishingService } from '../config/services';
import type { SourceService } from './envelope';

/** The durable topic exchanges: each service's, from the registry (docs/specification.md §2.1, docs/design.md §2). */
export type { Exchange };

export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  exchange: Exchange;
  routingKey: string;
  publishedBy: SourceService;
  /** The broker principal that sends it, whose AMQP user_id consumers accept (libraries/config/broker-principals.ts). */
  sentBy: BrokerPrincipal;
  /** One sentence for people: what happened. docs/design.md §2.3 lists every event; test/events/catalog.test.ts keeps it in step. */
  description: string;
  payload: S;
}

/** Identity function that keeps each definition's literal types for the catalog. */
export function defineEvent<S extends z.ZodType>(definition: EventDefinition<S>): EventDefinition<S> {
  return definition;
}

/** Where a domain's events go and what its lifecycle events carry. */
export interface EventDomain<S extends z.ZodType> {
  /** The service that publishes them, on its exchange, under its source name (libraries/config/services.ts). */
  publisher: PublishingService;
  /** The entity as it is after the change: the payload of every event that names none of its own. */
  snapshot: S;
}

/** What one event of a domain states for itself; `payload` only where it carries something other than the snapshot (saga replies). */
export interface DomainEventSpec {
  routingKey: string;
  description: string;
  payload?: z.ZodType;
  /** The process that sends it when not the domain's service itself (the saga worker, for saga steps). */
  sentBy?: BrokerPrincipal;
}

type PayloadFor<Spec, Snapshot extends z.ZodType> = Spec extends { payload: infer P extends z.ZodType } ? P : Snapshot;
type DomainEvents<D, Snapshot extends z.ZodType> = { [T in keyof D]: EventDefinition<PayloadFor<D[T], Snapshot>> };

/**
 * The events of one domain: every one goes out on the domain's exchange from
 * the domain's service, and carries the domain's snapshot unless it names a
 * payload, so each event states only its routing key and description. Each
 * keeps its own payload type for the catalog.
 */
export function defineEvents<S extends z.ZodType, D extends Record<string, DomainEventSpec>>(
  { publisher, snapshot }: EventDomain<S>,
  specs: D,
): DomainEvents<D, S> {
  const { exchange, source: publishedBy } = serviceRegistry[publisher];
  const definitions = Object.entries(specs).map(([type, { routingKey, description, payload = snapshot, sentBy = publisher }]) => [
    type,
    defineEvent({ exchange, routingKey, publishedBy, sentBy, description, payload }),
  ]);
  return Object.fromEntries(definitions) as DomainEvents<D, S>;
}
