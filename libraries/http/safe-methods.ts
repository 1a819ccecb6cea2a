/** RFC 9110's safe methods that HAP serves: they change nothing, so repeating one is always harmless. */
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return safeMethods.has(method.toUpperCase());
}
