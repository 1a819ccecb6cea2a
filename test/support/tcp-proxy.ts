import net from 'node:net';
import { inject } from 'vitest';

/**
 * A TCP proxy in front of a real server that a test can cut and restore: the
 * way to make RabbitMQ unreachable for one client without stopping the broker
 * that everything else on the machine shares.
 */
export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private server: net.Server | undefined;

  private constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const port = await freePort();
    const proxy = new TcpProxy(target, port);
    await proxy.open();
    return proxy;
  }

  /** A proxy in front of the server a URL names, and the same URL through it (credentials, path and query kept). */
  static async inFrontOf(url: string, defaultPort: number): Promise<{ proxy: TcpProxy; url: string }> {
    const target = new URL(url);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || defaultPort) });
    target.port = String(proxy.port);
    return { proxy, url: target.toString() };
  }

  /** A proxy in front of the suite's PostgreSQL, and its URL through the proxy: for tests that cut the database away. */
  static inFrontOfPostgres(): Promise<{ proxy: TcpProxy; url: string }> {
    return TcpProxy.inFrontOf(inject('pgUrl'), 5432);
  }

  /** Accepts connections again. */
  async open(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Drops every live connection and refuses new ones, like a broker that went away. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async close(): Promise<void> {
    await this.cut();
  }
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
