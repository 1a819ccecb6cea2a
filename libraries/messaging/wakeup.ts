/** A sleep that can be cut short; a wake that arrives while nobody sleeps is kept for the next sleep. */
export class Wakeup {
  private pending = false;
  private finishSleep: (() => void) | undefined;

  wake(): void {
    if (this.finishSleep) this.finishSleep();
    else this.pending = true;
  }

  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.finishSleep = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.finishSleep = finish;
    });
  }
}
