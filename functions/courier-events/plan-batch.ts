import type { SQSRecord } from 'aws-lambda';
import type { CourierKitStatusEvent } from '../../shared/contracts/index.js';

export interface CourierItem {
  record: SQSRecord;
  event: CourierKitStatusEvent;
}

export interface BatchPlan {
  /** The newest event of each (tenant, kit) in the batch: the ones to apply. */
  latest: CourierItem[];
  /** Older events of a kit that a newer one in the same batch supersedes. */
  superseded: CourierItem[];
}

/**
 * One instant, one spelling: `occurredAt` in UTC with milliseconds, so the idempotency key, the kit
 * ledger's conditional writes (string comparisons) and the staleness checks agree on the order
 * whatever offset the courier wrote.
 */
export const withUtcInstant = (event: CourierKitStatusEvent): CourierKitStatusEvent => ({
  ...event,
  data: { ...event.data, occurredAt: new Date(event.data.occurredAt).toISOString() },
});

/** One kit of one tenant. */
export const kitKeyOf = (item: CourierItem): string => `${item.event.tenant}#${item.event.data.kitNo}`;
const instant = (item: CourierItem) => Date.parse(item.event.data.occurredAt);

/**
 * Courier feeds are unordered: when a batch holds several events for one kit, only the newest is
 * sent to DCMS; the others are stale already (ties keep the first received).
 */
export function planBatch(items: readonly CourierItem[]): BatchPlan {
  const newest = new Map<string, CourierItem>();
  const superseded: CourierItem[] = [];
  for (const item of items) {
    const current = newest.get(kitKeyOf(item));
    if (!current) newest.set(kitKeyOf(item), item);
    else if (instant(item) > instant(current)) {
      superseded.push(current);
      newest.set(kitKeyOf(item), item);
    } else superseded.push(item);
  }
  return { latest: [...newest.values()], superseded };
}

/** One DCMS call per (tenant, status): the items of each group, in arrival order. */
export function groupByTenantAndStatus(items: readonly CourierItem[]): Map<string, { tenant: string; status: string; items: CourierItem[] }> {
  const groups = new Map<string, { tenant: string; status: string; items: CourierItem[] }>();
  for (const item of items) {
    const key = `${item.event.tenant}#${item.event.data.status}`;
    const group = groups.get(key) ?? { tenant: item.event.tenant, status: item.event.data.status, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return groups;
}
