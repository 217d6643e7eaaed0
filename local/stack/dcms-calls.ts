import type { DcmsCallInfo } from '../../shared/dcms/client.js';

export interface DcmsCallCount {
  endpoint: string;
  /** `200`, `400:CUS001`, `500`, `429`, TIMEOUT, NETWORK… as the workers' DCMS client saw it. */
  outcome: string;
  calls: number;
  p50Ms: number;
  p95Ms: number;
}

/** DCMS calls as the workers made them (their client's onCall hook), by endpoint and outcome, with latency. */
export class DcmsCallLog {
  private readonly durations = new Map<string, number[]>();

  record(call: DcmsCallInfo): void {
    const key = `${call.operation}\u0000${call.outcome}`;
    const list = this.durations.get(key) ?? [];
    list.push(call.durationMs);
    this.durations.set(key, list);
  }

  get total(): number {
    let total = 0;
    for (const list of this.durations.values()) total += list.length;
    return total;
  }

  snapshot(): DcmsCallCount[] {
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
