/**
 * Loopback addresses of their own for tests that count what reaches a server.
 * Every HAP process a test starts binds 127.0.0.1 on a port the kernel handed
 * out, and a process that was killed may still be asked on its old port by a
 * client of another test file; a fake instance that took that port on
 * 127.0.0.1 would count that stray request as its own.
 */

/** Where the fake instances and the gateway in front of them listen. */
export const testHost = '127.0.0.2';

/** An address nothing ever listens on: a connect to it is refused, on any port. */
export function refusedUrl(port = 40_000): string {
  return `http://127.0.0.3:${port}`;
}
