import amqplib from 'amqplib';
import { deadLetterHeaders } from '../../libraries/messaging/consumer';

export interface DeadLetter {
  queue: string;
  messageId: string | undefined;
  reason: string | undefined;
}

/**
 * Every message parked in the given DLQs, read without taking them: each is
 * fetched unacknowledged and all go back when the channel closes, so the
 * DLQs are as they were for the operator who looks next.
 */
export async function readDeadLetters(amqpUrl: string, queues: readonly string[]): Promise<DeadLetter[]> {
  const connection = await amqplib.connect(amqpUrl);
  // A closed channel (a DLQ deleted meanwhile) or connection emits 'error': a failed reading, not a crashed process.
  connection.on('error', () => {});
  try {
    const letters: DeadLetter[] = [];
    for (const queue of queues) {
      const channel = await connection.createChannel();
      channel.on('error', () => {});
      for (;;) {
        const message = await channel.get(queue, { noAck: false });
        if (!message) break;
        const reason = message.properties.headers?.[deadLetterHeaders.reason] as unknown;
        letters.push({
          queue,
          messageId: message.properties.messageId as string | undefined,
          reason: typeof reason === 'string' ? reason : undefined,
        });
      }
      await channel.close();
    }
    return letters;
  } finally {
    await connection.close().catch(() => {});
  }
}
