/** A PATCH body as a drizzle `.set()`: fields the caller left out stay as they are (null still clears). */
export function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}
