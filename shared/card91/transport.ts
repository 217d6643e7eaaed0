/**
 * One Card91 HTTP exchange, and its repetition: each attempt runs inside the optional circuit
 * breaker, and attempts are repeated by `withRetry` for transient faults only (which faults are
 * transient for a read or a write is decided in errors.ts). Every non-2xx answer and every
 * transport failure leaves as a classified IntegrationError carrying method, status and code only:
 * no bodies, no mobile.
 */
import type { DependencyBreaker } from '../resilience/breaker.js';
import { withRetry } from '../resilience/retry.js';
import type { RetryOptions } from '../resilience/retry.js';
import type { CallKind } from './errors.js';
import { classifyHttpStatus, classifyTransportFailure } from './errors.js';

export interface Card91CallInfo {
  /** The client method, e.g. `blockCard` (login attempts report `loginWithToken`). */
  method: string;
  status: number | 'network' | 'timeout';
  durationMs: number;
}

export interface CallOptions {
  /** Epoch ms after which no retry starts, e.g. the Lambda's remaining time less a margin. */
  deadline?: number;
}

export interface RequestSpec {
  /** Client method name: in metrics and error messages. */
  method: string;
  kind: CallKind;
  httpMethod: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
  /** A body built anew for each attempt (a login's sdkAuthToken works once: a retry needs a fresh one). */
  bodyPerAttempt?: () => Promise<unknown>;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

export interface TransportOptions {
  /** Environment base URL, without a trailing slash. */
  baseUrl: string;
  /** Per HTTP attempt, headers and body included. */
  timeoutMs: number;
  retry: RetryOptions;
  breaker: DependencyBreaker | undefined;
  fetch: typeof fetch;
  /** Called once per HTTP attempt (metrics). Must not throw. */
  onCall: ((info: Card91CallInfo) => void) | undefined;
}

const isTimeoutError = (error: unknown): boolean => error instanceof Error && (error.name === 'TimeoutError' || (error.cause instanceof Error && error.cause.name === 'TimeoutError'));

export class Card91Transport {
  constructor(private readonly options: TransportOptions) {}

  /** The exchange, retried while its failures are transient and the deadline allows. */
  execute(spec: RequestSpec, token: string | undefined, options: CallOptions): Promise<Answer> {
    const { breaker, retry } = this.options;
    const attempt = () => (breaker ? breaker.execute(() => this.attemptOnce(spec, token)) : this.attemptOnce(spec, token));
    return withRetry(attempt, options.deadline === undefined ? retry : { ...retry, deadline: options.deadline });
  }

  private async attemptOnce(spec: RequestSpec, token: string | undefined): Promise<Answer> {
    if (spec.bodyPerAttempt) spec = { ...spec, body: await spec.bodyPerAttempt() };
    const url = new URL(this.options.baseUrl + spec.path);
    for (const [name, value] of Object.entries(spec.query ?? {})) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    // Card91 answers 415 when a body arrives without its content type (docs/reference/card91.md §1.4).
    if (spec.body !== undefined) headers['content-type'] = 'application/json';

    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await this.options.fetch(url, {
        method: spec.httpMethod,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        // A redirect would carry the bearer token somewhere unplanned; treat it as an error answer.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = isTimeoutError(error);
      this.report(spec.method, timedOut ? 'timeout' : 'network', started);
      throw classifyTransportFailure(spec.method, spec.kind, timedOut, error);
    }
    this.report(spec.method, response.status, started);
    if (response.status < 200 || response.status > 299) {
      throw classifyHttpStatus(spec.method, response.status, spec.kind, response.headers.get('retry-after'));
    }
    return { status: response.status, headers: response.headers, text };
  }

  private report(method: string, status: Card91CallInfo['status'], started: number): void {
    if (this.options.onCall === undefined) return;
    try {
      this.options.onCall({ method, status, durationMs: Math.round(performance.now() - started) });
    } catch {
      // Metrics must never change the outcome of a card operation.
    }
  }
}
