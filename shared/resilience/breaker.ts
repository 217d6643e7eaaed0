import { CircuitState, DelegateBackoff, SamplingBreaker, circuitBreaker, handleWhen, isBrokenCircuitError } from 'cockatiel';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { FailureCategory, IntegrationError, isIntegrationError } from './errors.js';

export interface BreakerOptions {
  /** Share of failing calls in the sampling window that opens the circuit. */
  failureRatio: number;
  /** Length of the sampling window. */
  windowMs: number;
  /** Calls the window must hold before it may open: a handful of failures at low traffic is not an outage. */
  minimumCalls: number;
  /** Time before the first trial call; each trial that fails doubles it, up to `maxHalfOpenAfterMs`. */
  halfOpenAfterMs: number;
  maxHalfOpenAfterMs: number;
}

/**
 * Why these numbers: a DCMS that fails one call in five (the degraded mix we test against: 10%
 * 5xx, 5% 429, 5% failing after commit) must keep being called, since retries get almost all of
 * that work through; only an outage should stop the calls. At a 50% ratio over 30 s with at least
 * 20 calls, a 20% fault rate opens the circuit in about 3 of 1,000 windows (binomial tail), while a
 * dead DCMS opens it after 20 failed calls. Trials start after 5 s and back off to 5 min, so a long
 * outage costs one DCMS call per instance every 5 minutes and a record about 300 receives a day.
 */
export const DEFAULT_BREAKER: BreakerOptions = { failureRatio: 0.5, windowMs: 30_000, minimumCalls: 20, halfOpenAfterMs: 5_000, maxHalfOpenAfterMs: 300_000 };

export const CIRCUIT_OPEN = 'CIRCUIT_OPEN';

/**
 * Only signs that the platform itself is unwell count as failures: 5xx, timeouts, dropped
 * connections. A 429 (it is alive, we are too fast) or a business error does not.
 */
const isOutageSignal = (error: unknown): boolean =>
  isIntegrationError(error) && (error.category === FailureCategory.UnknownOutcome || (error.category === FailureCategory.Transient && error.status !== 429));

/** One breaker per dependency per Lambda instance (module scope), shared by every record in it. */
export class DependencyBreaker {
  private readonly policy: CircuitBreakerPolicy;
  private nextTrialAt = 0;

  constructor(
    readonly dependency: string,
    options: BreakerOptions = DEFAULT_BREAKER,
  ) {
    this.policy = circuitBreaker(handleWhen(isOutageSignal), {
      breaker: new SamplingBreaker({ threshold: options.failureRatio, duration: options.windowMs, minimumRps: options.minimumCalls / (options.windowMs / 1_000) }),
      // Called by cockatiel each time the circuit opens, with how many times in a row it has: the
      // delay is remembered so that refused records can come back exactly when the trial is due.
      halfOpenAfter: new DelegateBackoff(({ attempt }) => {
        const delay = Math.min(options.maxHalfOpenAfterMs, options.halfOpenAfterMs * 2 ** (attempt - 1));
        this.nextTrialAt = Date.now() + delay;
        return delay;
      }),
    });
  }

  get isOpen(): boolean {
    return this.policy.state === CircuitState.Open || this.policy.state === CircuitState.Isolated;
  }

  /** Milliseconds until the circuit lets a trial call through (0 when it is not open). */
  get msUntilTrial(): number {
    return this.isOpen ? Math.max(0, this.nextTrialAt - Date.now()) : 0;
  }

  async execute<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(call);
    } catch (error) {
      if (isBrokenCircuitError(error)) throw this.openError();
      throw error;
    }
  }

  /** Transient, due again when the next trial call is: the record comes back then, neither before nor long after. */
  private openError(): IntegrationError {
    return new IntegrationError({
      category: FailureCategory.Transient,
      code: CIRCUIT_OPEN,
      message: `${this.dependency} circuit is open after sustained failures; the next trial call is due in ${Math.ceil(this.msUntilTrial / 1_000)} s`,
      dueInSeconds: Math.max(1, Math.ceil(this.msUntilTrial / 1_000)),
    });
  }
}
