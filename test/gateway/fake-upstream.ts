import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testHost } from '../support/loopback';

export interface Hit {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type UpstreamBehaviour = (hit: Hit, response: http.ServerResponse, request: http.IncomingMessage) => void;

export interface FakeUpstream {
  url: string;
  hits: Hit[];
  close(): Promise<void>;
}

/**
 * A bare node:http server standing in for a service instance, so that a test
 * controls exactly what the gateway gets back (a hang, a reset, raw headers)
 * and counts what reached it.
 */
export async function fakeUpstream(behaviour: UpstreamBehaviour): Promise<FakeUpstream> {
  const hits: Hit[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const hit = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      };
      hits.push(hit);
      behaviour(hit, response, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, testHost, () => resolve()));
  return {
    url: `http://${testHost}:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const answer =
  (status: number, body: unknown, headers: Record<string, string> = {}): UpstreamBehaviour =>
  (hit, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };

/** Takes the request and never answers: the gateway's timeout fires. */
export const hang: UpstreamBehaviour = () => {};

/** Takes the request, then drops the connection without a word. */
export const reset: UpstreamBehaviour = (hit, response, request) => request.socket.destroy();
