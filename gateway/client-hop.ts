import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { ClientHop } from './headers';

/**
 * Who called the gateway and how. getConnInfo reads the Node socket, which
 * exists only when the app is served by @hono/node-server; app.request()
 * (tests) has none, and then the address is simply unknown.
 */
export function clientHop(c: Context): ClientHop {
  const url = new URL(c.req.url);
  let address: string | undefined;
  try {
    address = getConnInfo(c).remote.address;
  } catch {
    address = undefined;
  }
  return { address, proto: url.protocol.replace(/:$/, ''), host: c.req.header('host') ?? url.host };
}
