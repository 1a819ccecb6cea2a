/**
 * An error and every error it wraps, outermost first: drizzle, Temporal and
 * our own wrappers put the original in `cause`. Bounded and safe against a
 * cause that points back at an earlier link.
 */
export function causes(error: unknown, max = 10): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && current !== null && !chain.includes(current) && chain.length < max;) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}
