import { onParentGone, type Shutdown } from './shutdown.js';

/**
 * How a run ends early: a stop request (SIGINT, SIGTERM, or the launcher gone) or a failure
 * elsewhere (the functions host crashing). Either aborts `signal`, so no further step starts.
 */
export class StopRequest {
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  /** The signal that asked us to stop; undefined while none has. */
  stoppedBy: NodeJS.Signals | undefined;
  /** Settles on a stop request. */
  readonly requested: Promise<void>;

  constructor(shutdown: Shutdown) {
    this.requested = new Promise<void>((resolveStop) => {
      const stop = (signal: NodeJS.Signals) => {
        this.stoppedBy = signal;
        this.controller.abort(new Error(`stopped by ${signal}`));
        resolveStop();
      };
      shutdown.onSignals(stop);
      // The launcher (npm, a shell) was terminated without passing the signal on: stop as if we had had it.
      onParentGone(() => stop('SIGTERM'));
    });
  }

  /** Ends the run on a failure; `reason` is what is reported. */
  fail(reason: Error): void {
    this.controller.abort(reason);
  }

  /** Why the run was aborted, if it was. */
  get reason(): Error | undefined {
    return this.signal.reason as Error | undefined;
  }
}
