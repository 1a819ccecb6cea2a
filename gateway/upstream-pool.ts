/**
 * The instances of one service, taken in turn. An instance that failed is
 * skipped for a while, then tried again; when every instance is marked down
 * they are all tried anyway, since a mark may be stale. Only what the
 * instance did (refused, timed out, reset, answered 503) marks it down, never
 * what a client sent: forward.ts decides.
 */
export class UpstreamPool {
  private next = 0;
  private readonly downUntil = new Map<string, number>();

  constructor(
    readonly service: string,
    readonly urls: readonly string[],
    private readonly cooldownMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every instance, in the order to try them for one request. */
  candidates(): string[] {
    const start = this.next++ % this.urls.length;
    const rotated = [...this.urls.slice(start), ...this.urls.slice(0, start)];
    const up = rotated.filter((url) => (this.downUntil.get(url) ?? 0) <= this.now());
    return up.length > 0 ? [...up, ...rotated.filter((url) => !up.includes(url))] : rotated;
  }

  markDown(url: string): void {
    this.downUntil.set(url, this.now() + this.cooldownMs);
  }

  markUp(url: string): void {
    this.downUntil.delete(url);
  }
}
