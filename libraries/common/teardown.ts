/**
 * What a start-up has opened so far, closed in reverse. A start that fails
 * half-way (a dependency away) releases what it had, so the next attempt
 * does not leak pools or connections.
 */
export class Teardown {
  private readonly steps: (() => Promise<unknown>)[] = [];

  /** Registers the closing of something just opened; returns the thing, for chaining. */
  add<T>(thing: T, close: (thing: T) => Promise<unknown>): T {
    this.steps.push(() => close(thing));
    return thing;
  }

  /** Closes everything, newest first; a failing step does not stop the others. */
  async run(onError: (error: unknown) => void = () => {}): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) await step().catch(onError);
  }

  /** Runs `start`; if it throws, closes what it had opened (telling onError of a step that fails) and rethrows. */
  async guard<T>(start: () => Promise<T>, onError?: (error: unknown) => void): Promise<T> {
    try {
      return await start();
    } catch (error) {
      await this.run(onError);
      throw error;
    }
  }
}
