import http from 'node:http';

class StaleConnectionError extends Error {}

export type Method = 'GET' | 'POST' | 'PATCH';

export interface JsonResponse<T> {
  status: number;
  body: T | undefined;
}

/**
 * A lean JSON client over node:http with keep-alive connections: the bench
 * and the fault matrix share two cores with the system they drive, so their
 * own requests should cost as little as possible.
 */
export class JsonHttpClient {
  private readonly agent: http.Agent;
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly authorization: Record<string, string>;

  constructor(
    readonly baseUrl: string,
    options: { maxSockets?: number; timeoutMs?: number; token?: string } = {},
  ) {
    this.authorization = options.token ? { authorization: `Bearer ${options.token}` } : {};
    this.base = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 });
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  get<T>(path: string): Promise<JsonResponse<T>> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  async request<T>(method: Method, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    try {
      return await this.send<T>(method, path, body, headers);
    } catch (error) {
      // A kept-alive connection the server closed just as it was reused: the request never reached
      // the server, so sending it again on a fresh connection is safe (Node's documented pattern).
      if (error instanceof StaleConnectionError) return this.send<T>(method, path, body, headers);
      throw error;
    }
  }

  private send<T>(method: Method, path: string, body: unknown, extraHeaders: Record<string, string>): Promise<JsonResponse<T>> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent: this.agent,
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          headers: {
            ...extraHeaders,
            ...this.authorization,
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          },
          timeout: this.timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as T) : undefined });
            } catch {
              reject(new Error(`${method} ${path}: answer ${response.statusCode} is not JSON: ${text.slice(0, 200)}`));
            }
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error(`${method} ${path}: no answer within ${this.timeoutMs} ms`)));
      request.on('error', (error: NodeJS.ErrnoException) => {
        const stale = request.reusedSocket && (error.code === 'ECONNRESET' || error.message === 'socket hang up');
        reject(stale ? new StaleConnectionError(error.message, { cause: error }) : error);
      });
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
