/**
 * Which headers cross the gateway. Hop-by-hop headers (RFC 9110 §7.6.1)
 * describe one connection, not the message, so they stop here in both
 * directions; so do Expect (Node already answered the 100-continue, and
 * fetch refuses it), Host and Content-Length (fetch sets them for its own
 * request, Node for its own response) and anything Proxy-*.
 */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
  'expect',
  'host',
  'content-length',
]);

/** A copy of the headers without hop-by-hop ones, nor any that Connection names. */
export function endToEndHeaders(headers: Headers): Headers {
  const named = new Set(
    (headers.get('connection') ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const kept = new Headers();
  headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (hopByHop.has(lower) || named.has(lower) || lower.startsWith('proxy-')) return;
    kept.append(name, value);
  });
  // Headers joins repeated Set-Cookie values with commas, which breaks cookies; keep them apart.
  if (typeof headers.getSetCookie === 'function' && kept.has('set-cookie')) {
    kept.delete('set-cookie');
    for (const cookie of headers.getSetCookie()) kept.append('set-cookie', cookie);
  }
  return kept;
}

export interface ClientHop {
  /** The address the request came from; unknown when the app is called without a socket. */
  address: string | undefined;
  /** http or https, as the client spoke to the gateway. */
  proto: string;
  /** The Host the client asked for. */
  host: string;
}

/**
 * The headers to send to an instance: the client's end-to-end headers plus
 * X-Forwarded-*, so that an instance sees who asked and how. For is appended
 * to (a chain of proxies); Proto and Host are the gateway's own view, since
 * the gateway is the public entry point and a client's claim would be a lie.
 */
export function upstreamRequestHeaders(incoming: Headers, hop: ClientHop): Headers {
  const headers = endToEndHeaders(incoming);
  if (hop.address) {
    const before = incoming.get('x-forwarded-for');
    headers.set('x-forwarded-for', before ? `${before}, ${hop.address}` : hop.address);
  }
  headers.set('x-forwarded-proto', hop.proto);
  headers.set('x-forwarded-host', hop.host);
  return headers;
}

/**
 * The headers to hand back to the client. fetch has already decoded a
 * compressed body, so Content-Encoding would now lie about it.
 */
export function clientResponseHeaders(upstream: Headers): Headers {
  const headers = endToEndHeaders(upstream);
  headers.delete('content-encoding');
  return headers;
}
