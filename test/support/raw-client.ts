import { bearer, staff, type Caller } from './tokens';

/** An answer as the raw client reads it: status, headers and the body, untyped. */
export interface RawResponse {
  status: number;
  body: any;
  headers: Headers;
}

/**
 * An untyped JSON client, for the requests the typed clients (clients.ts)
 * rightly cannot express: bodies that are not JSON, wrong types, unknown or
 * missing fields, query values outside their enum, and paths outside the
 * apps' types (/openapi.json). Everything else goes through clients.ts.
 * Requests carry the caller's token (staff unless said) unless the headers
 * give an Authorization of their own.
 */
export function rawClient(baseUrl: string, caller: Caller = staff) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(await bearer(caller)), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body ?? {}, headers),
    patch: (path: string, body: unknown, headers?: Record<string, string>) => call('PATCH', path, body, headers),
  };
}
export type RawClient = ReturnType<typeof rawClient>;
