import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, isBrokenCircuitError } from 'cockatiel';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { FailureCategory, isIntegrationError } from './errors.js';
import { circuitOpenError } from './retry.js';

export interface BreakerOptions {
  /** Consecutive failing calls that open the circuit. */
  consecutiveFailures: number;
  /** How long the circuit stays open before one trial call is let through. */
  halfOpenAfterMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { consecutiveFailures: 5, halfOpenAfterMs: 10_000 };

/**
 * Only signs that the platform itself is unwell open the circuit: 5xx, timeouts, dropped
 * connections. A 429 (it is alive, we are too fast) or a business error does not.
 */
const isOutageSignal = (error: unknown): boolean =>
  isIntegrationError(error) &&
  (error.category === FailureCategory.UnknownOutcome || (error.category === FailureCategory.Transient && error.status !== 429));

/** One breaker per dependency per Lambda instance (module scope), shared by every record in it. */
export class DependencyBreaker {
  private readonly policy: CircuitBreakerPolicy;

  constructor(
    readonly dependency: string,
    options: BreakerOptions = DEFAULT_BREAKER,
  ) {
    this.policy = circuitBreaker(handleWhen(isOutageSignal), {
      halfOpenAfter: options.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.consecutiveFailures),
    });
  }

  get isOpen(): boolean {
    return this.policy.state === CircuitState.Open || this.policy.state === CircuitState.Isolated;
  }

  async execute<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(call);
    } catch (error) {
      if (isBrokenCircuitError(error)) throw circuitOpenError(this.dependency);
      throw error;
    }
  }
}
