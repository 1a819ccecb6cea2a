import net from 'node:net';

/**
 * A TCP proxy in front of the broker for one process that can stop
 * forwarding without closing anything: a network partition as the process
 * meets it (its packets go nowhere, nothing answers, no connection is
 * refused), which only heartbeats detect. New connections are taken and
 * left hanging too until the partition heals.
 */
export class StallingProxy {
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket | undefined }>();
  private stalled = false;
  private waiting: (() => void)[] = [];

  private constructor(
    private readonly server: net.Server,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<StallingProxy> {
    const server = net.createServer();
    const proxy = new StallingProxy(server, target);
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    // Once listening, a failing accept is the proxy's own trouble, not the run's: the partition simply stays.
    server.on('error', () => {});
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** The same URL, through the proxy. */
  urlThrough(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  /** Stops forwarding, both ways, on every connection, open or new. */
  stall(): void {
    this.stalled = true;
    // Unpiped, not only paused: a pipe resumes its source on the next 'drain'.
    for (const { client, upstream } of this.pairs) {
      if (!upstream) continue;
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Forwards again: whatever the ends still hold open carries on; what timed out meanwhile was closed by its end. */
  heal(): void {
    this.stalled = false;
    for (const { client, upstream } of this.pairs) {
      if (upstream) client.pipe(upstream).pipe(client);
    }
    for (const connect of this.waiting.splice(0)) connect();
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream?.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const pair: { client: net.Socket; upstream: net.Socket | undefined } = { client, upstream: undefined };
    this.pairs.add(pair);
    const end = () => {
      client.destroy();
      pair.upstream?.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    const connect = () => {
      if (client.destroyed) return;
      const upstream = net.connect(this.target.port, this.target.host);
      pair.upstream = upstream;
      upstream.on('error', end).on('close', end);
      client.pipe(upstream).pipe(client);
    };
    if (this.stalled) {
      client.pause();
      this.waiting.push(() => {
        client.resume();
        connect();
      });
    } else connect();
  }
}
