import http from 'node:http';
import { testHost } from '../support/loopback';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request with node:http, which sends what it is told (Expect,
 * Connection, TRACE, …) where fetch would refuse. With Expect: 100-continue
 * the body waits for the server's 100 Continue, as curl does.
 */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const waitsForContinue = /100-continue/i.test(Object.entries(headers).find(([name]) => name.toLowerCase() === 'expect')?.[1] ?? '');
    const request = http.request(
      {
        host: testHost,
        port,
        method,
        path,
        agent: false,
        headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      },
    );
    request.on('error', reject);
    if (waitsForContinue) request.on('continue', () => request.end(body));
    else request.end(body);
  });
}
