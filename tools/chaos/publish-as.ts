import amqplib from 'amqplib';
import type { BrokerPrincipal } from '../../libraries/config/broker-principals';
import type { OutgoingMessage } from '../../libraries/messaging/message';
import type { ChaosSystem } from './system';

const CONFIRM_TIMEOUT_MS = 30_000;

/**
 * Publishes messages, each as its principal of the run (that principal's
 * own broker login, so the broker stamps its user_id and consumers take it
 * for the real sender), with publisher confirms, the way a process that
 * misbehaves would.
 */
export async function publishAs(
  system: ChaosSystem,
  messages: readonly { sender: BrokerPrincipal; message: OutgoingMessage }[],
): Promise<void> {
  const bySender = new Map<BrokerPrincipal, OutgoingMessage[]>();
  for (const { sender, message } of messages) {
    const batch = bySender.get(sender) ?? [];
    batch.push(message);
    bySender.set(sender, batch);
  }
  for (const [sender, batch] of bySender) await publishBatch(system.brokerUrlOf(sender), batch);
}

async function publishBatch(url: string, messages: readonly OutgoingMessage[]): Promise<void> {
  const user = decodeURIComponent(new URL(url).username);
  const connection = await amqplib.connect(url);
  // A channel or connection the broker closes emits 'error': heard here, it fails this publish instead of the process.
  let failure: Error | undefined;
  connection.on('error', (error: Error) => (failure ??= error));
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', (error: Error) => (failure ??= error));
    for (const message of messages)
      channel.publish(message.exchange, message.routingKey, message.content, { ...message.options, userId: user });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      channel.waitForConfirms(),
      new Promise(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`no confirms within ${CONFIRM_TIMEOUT_MS} ms`)), CONFIRM_TIMEOUT_MS)),
      ),
    ]).finally(() => clearTimeout(timer));
    if (failure) throw failure;
    await channel.close();
  } finally {
    await connection.close().catch(() => {});
  }
  if (failure) throw failure;
}
