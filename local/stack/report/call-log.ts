export interface CallCount {
  /** The partner's endpoint or client method: `registerCard`, `blockCard`… */
  endpoint: string;
  /** As the workers' client saw it: `200`, `400:CUS001`, `429`, TIMEOUT, NETWORK… */
  outcome: string;
  calls: number;
  p50Ms: number;
  p95Ms: number;
}

/** Partner calls as the workers made them (their clients' onCall hooks), by endpoint and outcome, with latency. */
export class CallLog {
  private readonly durations = new Map<string, number[]>();

  record(endpoint: string, outcome: string, durationMs: number): void {
    const key = `${endpoint}\u0000${outcome}`;
    const list = this.durations.get(key) ?? [];
    list.push(durationMs);
    this.durations.set(key, list);
  }

  snapshot(): CallCount[] {
    return [...this.durations]
      .map(([key, list]) => {
        const [endpoint = '', outcome = ''] = key.split('\u0000');
        const sorted = list.toSorted((a, b) => a - b);
        return { endpoint, outcome, calls: sorted.length, p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
      })
      .sort((a, b) => a.endpoint.localeCompare(b.endpoint) || b.calls - a.calls);
  }
}

/** Nearest-rank percentile of an ascending list, whole milliseconds. */
const percentile = (sorted: readonly number[], p: number): number => Math.round(sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0);
