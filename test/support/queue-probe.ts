import amqplib, { type ChannelModel, type ConfirmChannel, type GetMessage, type Options } from 'amqplib';
import { eventually } from '../../libraries/common/eventually';

/**
 * A plain amqplib connection for looking at queues from the outside, the way
 * an operator would: counts, messages, and raw publishes of anything at all.
 */
export class QueueProbe {
  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
  ) {}

  static async open(url: string): Promise<QueueProbe> {
    const connection = await amqplib.connect(url);
    const channel = await connection.createConfirmChannel();
    return new QueueProbe(connection, channel);
  }

  async count(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).messageCount;
  }

  /** Takes every message now in the queue (acked: they are gone afterwards). */
  async drain(queue: string): Promise<GetMessage[]> {
    const messages: GetMessage[] = [];
    for (;;) {
      const message = await this.channel.get(queue, { noAck: true });
      if (!message) return messages;
      messages.push(message);
    }
  }

  /** Waits until the queue holds `count` messages, then takes them. */
  async take(queue: string, count: number, timeoutMs = 15_000): Promise<GetMessage[]> {
    const taken: GetMessage[] = [];
    await eventually(
      async () => {
        taken.push(...(await this.drain(queue)));
        if (taken.length < count) throw new Error(`${queue}: ${taken.length} of ${count} messages so far`);
      },
      { timeoutMs },
    );
    return taken;
  }

  async publish(exchange: string, routingKey: string, content: Buffer | string, options: Options.Publish = {}): Promise<void> {
    this.channel.publish(exchange, routingKey, Buffer.from(content), { persistent: true, ...options });
    await this.channel.waitForConfirms();
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => {});
  }
}
