import amqplib from 'amqplib';
import type { BrokerPrincipal } from '../config/broker-principals';
import type { OutgoingMessage } from '../messaging/message';
import type { ChaosSystem } from './system';

/**
 * Publishes messages as a principal of the run (its own broker login, so
 * the broker stamps its user_id and consumers take it for the real sender),
 * with publisher confirms, the way a process that misbehaves would.
 */
export async function publishAs(system: ChaosSystem, principal: BrokerPrincipal, messages: readonly OutgoingMessage[]): Promise<void> {
  const user = decodeURIComponent(new URL(system.brokerUrlOf(principal)).username);
  const connection = await amqplib.connect(system.brokerUrlOf(principal));
  try {
    const channel = await connection.createConfirmChannel();
    for (const message of messages)
      channel.publish(message.exchange, message.routingKey, message.content, { ...message.options, userId: user });
    await channel.waitForConfirms();
    await channel.close();
  } finally {
    await connection.close();
  }
}
