/**
 * What a run of the bench or the fault matrix must undo, in reverse order of creation, whether it ends
 * normally, fails, or is stopped with Ctrl-C / SIGTERM.
 */
export class Cleanup {
  private readonly steps: { name: string; run: () => Promise<void> }[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly log: (line: string) => void) {}

  /** Registers an undo step; the last registered runs first. */
  defer(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  /** Runs every step once, even if some fail (each failure is logged). */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          this.log(`cleanup: ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.running;
  }

  /**
   * On SIGINT, SIGTERM or SIGHUP: clean up, then exit with 130 / 143 / 129.
   * A second signal (a second Ctrl-C, or the terminal's to the whole group)
   * does not cut the cleanup short; a third exits at once.
   */
  onSignals(): void {
    const codes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
    let received = 0;
    for (const [signal, code] of Object.entries(codes) as [NodeJS.Signals, number][]) {
      process.on(signal, () => {
        received++;
        if (received === 1) {
          this.log(`\n${signal}: cleaning up (processes, vhost, databases, Temporal dev server)…`);
          void this.run().finally(() => process.exit(code));
        } else if (received === 2) {
          this.log(`${signal}: still cleaning up; once more to quit at once and leave things behind`);
        } else {
          process.exit(code);
        }
      });
    }
  }
}
