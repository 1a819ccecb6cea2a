import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface HttpServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on the port (0 picks a free one) and resolves once it accepts
 * connections. close() stops accepting, lets requests in progress finish (up
 * to drainMs: a client cut off mid-request might retry a command that
 * succeeded), then closes what is left.
 */
export function serveHttp(app: Pick<Hono, 'fetch'>, port: number, hostname = '0.0.0.0', drainMs = 10_000): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            const http = server as unknown as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
            const timer = setTimeout(() => http.closeAllConnections?.(), drainMs);
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            // Idle keep-alive connections would hold close() open; busy ones finish first.
            http.closeIdleConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}
