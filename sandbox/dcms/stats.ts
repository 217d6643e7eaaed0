import * as z from 'zod';

/**
 * What the sandbox observed, for tests and operators (`GET /__admin/stats`).
 *
 * `calls[path][outcome]` counts DCMS calls. Outcome keys:
 * - `"200"`                 answered 200 (deliveryStatus: even when some kits failed, see deliveryKitFailures)
 * - `"<status>:<errorCode>"` answered with an exception, e.g. `"400:CUS001"`, `"429:rate.limit.exceeded"`
 * - `"fault:<name>"`        an injected fault: error, hang, throttle, commitThenFail, commitThenDrop,
 *                           slowCommit, ackWithoutCommit
 *
 * `tenants[tenant]` is what DCMS holds for each tenant: its customers and kits (every kit issued,
 * second cards included). `GET /__admin/holdings` adds, per tenant, the delivery statuses applied
 * to its kits (one per kit an accepted `/inventory/update/deliveryStatus` set, so a kit moved
 * through three statuses counts three): together, the run's effects on DCMS, what calls per effect
 * divides by.
 *
 * `duplicateCards` counts every card issued for a (tenant, entityId, accountNo, cardType) that
 * already had one, whether through `/register` (insta-card) or `/registerCard`: the workers must
 * keep it at zero. `deliveryUpdates` counts delivery statuses applied (all tenants);
 * `deliveryKitFailures` counts per-kit MCC007 answers. `pendingCalls` counts calls received and
 * not yet applied or refused (waiting out latency or a slow commit): DCMS's state may still change
 * while it is above zero.
 */
export const tenantCountsSchema = z.object({
  customers: z.number().int(),
  kits: z.number().int(),
});
export type TenantCounts = z.infer<typeof tenantCountsSchema>;

/** What DCMS holds for a tenant because of the calls it received: its customers, kits and the delivery statuses applied to them. */
export const tenantHoldingsSchema = tenantCountsSchema.extend({ deliveryStatuses: z.number().int() });
export type TenantHoldings = z.infer<typeof tenantHoldingsSchema>;

export const dcmsSandboxStatsSchema = z.object({
  calls: z.record(z.string(), z.record(z.string(), z.number().int())),
  tenants: z.record(z.string(), tenantCountsSchema),
  duplicateCards: z.number().int(),
  deliveryUpdates: z.number().int(),
  deliveryKitFailures: z.number().int(),
  pendingCalls: z.number().int(),
});
export type DcmsSandboxStats = z.infer<typeof dcmsSandboxStatsSchema>;

/** Counts calls per endpoint and outcome. */
export class CallCounter {
  private calls = new Map<string, Map<string, number>>();

  record(endpoint: string, outcome: string): void {
    let outcomes = this.calls.get(endpoint);
    if (outcomes === undefined) {
      outcomes = new Map();
      this.calls.set(endpoint, outcomes);
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }

  snapshot(): DcmsSandboxStats['calls'] {
    return Object.fromEntries([...this.calls].map(([endpoint, outcomes]) => [endpoint, Object.fromEntries(outcomes)]));
  }

  reset(): void {
    this.calls = new Map();
  }
}
