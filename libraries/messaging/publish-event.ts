import { validateEvent, type DomainEvent } from '../events/catalog';
import type { EventHeaders } from '../events/envelope';
import type { ConfirmedPublisher } from './broker';
import { encodeEvent } from './message';

/**
 * Publishes an event straight to the broker and resolves once it is confirmed.
 * Checked against the catalog first: a bad event never leaves the process.
 * Services that change state publish through the outbox instead.
 */
export async function publishEvent(publisher: ConfirmedPublisher, event: DomainEvent, headers: EventHeaders = {}): Promise<void> {
  await publisher.publish(encodeEvent(validateEvent(event), headers));
}
