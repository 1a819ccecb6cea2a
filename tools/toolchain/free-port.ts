import { readFileSync } from 'node:fs';
import net from 'node:net';

const HOST = '127.0.0.1';
/** Below this, ports are commonly taken by system services. */
const LOWEST = 10_000;
/** Linux's default when the kernel's setting cannot be read. */
const DEFAULT_EPHEMERAL_LOW = 32_768;
const ATTEMPTS = 200;

/**
 * A TCP port on 127.0.0.1 that is free now, for a process started later to
 * bind. It comes from below the kernel's ephemeral range: a port taken from
 * inside it (bind to 0, release) can be handed out again to any listener on
 * port 0 or any outgoing connection before the process binds it, and in a
 * parallel test run one did, so a gateway relayed records calls to another
 * test's server. Random picks keep two pickers apart.
 */
export async function getFreePort(): Promise<number> {
  const high = ephemeralLow();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (high - LOWEST));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${high} after ${ATTEMPTS} tries`);
}

function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > LOWEST + 1000 ? low : DEFAULT_EPHEMERAL_LOW;
  } catch {
    return DEFAULT_EPHEMERAL_LOW;
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: HOST, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
