/**
 * Cleanup of everything the stack started, in reverse order of starting, exactly once: on a normal
 * end, on an error, on Ctrl-C (SIGINT) or SIGTERM. DynamoDB Local is a Java child process that
 * survives its parent unless stopped, so every way out goes through here.
 */
export class Shutdown {
  private readonly steps: Array<{ name: string; run: () => Promise<void> }> = [];
  private readonly starting = new Set<Promise<unknown>>();
  private running: Promise<void> | undefined;

  /**
   * Marks something being started: a shutdown waits for it to finish starting (or fail) first, so
   * that what it started (a Java process half-way up) gets registered, and stopped, too.
   */
  track<T>(starting: Promise<T>): Promise<T> {
    this.starting.add(starting);
    const settled = () => this.starting.delete(starting);
    starting.then(settled, settled);
    return starting;
  }

  /** Registers a cleanup step; steps run last-registered first. */
  add(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  /** Runs every step (once, however often called); a failing step is reported and the others still run. */
  run(): Promise<void> {
    this.running ??= (async () => {
      await Promise.allSettled(this.starting);
      for (const step of this.steps.toReversed()) {
        try {
          await step.run();
        } catch (error) {
          console.error(`while stopping ${step.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.running;
  }

  /**
   * Runs `onSignal` on the first SIGINT or SIGTERM. A second signal while stopping is answered with
   * a note rather than an abrupt exit, which would leave the Java process behind.
   */
  onSignals(onSignal: (signal: NodeJS.Signals) => void): void {
    let received: NodeJS.Signals | undefined;
    const handler = (signal: NodeJS.Signals) => {
      if (received) {
        console.error(`stopping after ${received}; still cleaning up (DynamoDB Local, queues)…`);
        return;
      }
      received = signal;
      onSignal(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  }
}

/**
 * Calls `onGone` once the process that started this one has ended (on POSIX, an orphan is
 * re-parented, so its parent pid changes). `npm start` runs us under `sh -c`: a SIGTERM sent to
 * npm ends npm and the shell, never us; without this the stack would keep running, Java included.
 */
export function onParentGone(onGone: () => void, intervalMs = 1_000): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
}
