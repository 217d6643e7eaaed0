/** What the Card91 sandbox counts, for `GET /__admin/stats` and the local run's summary. */

export interface SandboxStats {
  /**
   * method name → outcome → count. Outcomes: the HTTP status answered (`"200"`, `"401"`, …) or
   * `"fault:<kind>"` for an injected fault. Unknown paths count under `notFound`.
   */
  calls: Record<string, Record<string, number>>;
  webhook: { accepted: number; refused: number; unreachable: number; withBusinessToken: number };
}

export const emptyStats = (): SandboxStats => ({ calls: {}, webhook: { accepted: 0, refused: 0, unreachable: 0, withBusinessToken: 0 } });

export function countCall(stats: SandboxStats, method: string, outcome: string): void {
  const perMethod = (stats.calls[method] ??= {});
  perMethod[outcome] = (perMethod[outcome] ?? 0) + 1;
}
