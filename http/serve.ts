import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface HttpServer {
  port: number;
  close(): Promise<void>;
}

/** Listens on the port (0 picks a free one) and resolves once it accepts connections. */
export function serveHttp(app: Pick<Hono, 'fetch'>, port: number, hostname = '0.0.0.0'): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Idle keep-alive connections would hold close() open.
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}
