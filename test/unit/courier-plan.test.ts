import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { groupByTenantAndStatus, planBatch, type CourierItem } from '../../functions/courier-events/plan-batch.js';
import { courierKitStatusEvent } from '../../shared/contracts/index.js';
import { kitStatus } from '../support/events.js';

const item = (kitNo: string, status: string, occurredAt: string, tenant = 'ACME_BANK'): CourierItem => ({
  record: { messageId: `${kitNo}-${status}-${occurredAt}` } as SQSRecord,
  event: courierKitStatusEvent.parse(kitStatus(kitNo, status, occurredAt, tenant)),
});

describe('courier batch planning', () => {
  it('keeps only the newest event of each kit, whatever the arrival order', () => {
    const older = item('1', 'IN_TRANSIT', '2026-11-20T10:00:00Z');
    const newer = item('1', 'DELIVERED', '2026-11-20T11:00:00+00:00');
    const other = item('2', 'IN_TRANSIT', '2026-11-20T09:00:00Z');
    const plan = planBatch([newer, other, older]);
    expect(plan.latest).toEqual([newer, other]);
    expect(plan.superseded).toEqual([older]);
  });

  it('compares instants, not strings, across time zones', () => {
    const ist = item('1', 'DELIVERED', '2026-11-20T15:30:00+05:30'); // 10:00Z
    const utc = item('1', 'IN_TRANSIT', '2026-11-20T10:30:00Z');
    expect(planBatch([ist, utc]).latest).toEqual([utc]);
  });

  it('treats the same kit under two tenants as two kits', () => {
    expect(planBatch([item('1', 'BANK', '2026-11-20T10:00:00Z'), item('1', 'BANK', '2026-11-20T10:00:00Z', 'GLOBEX_BANK')]).latest).toHaveLength(2);
  });

  it('groups by tenant and status, one DCMS call each', () => {
    const groups = groupByTenantAndStatus([
      item('1', 'DELIVERED', '2026-11-20T10:00:00Z'),
      item('2', 'DELIVERED', '2026-11-20T10:00:00Z'),
      item('3', 'RETURNED', '2026-11-20T10:00:00Z'),
      item('4', 'DELIVERED', '2026-11-20T10:00:00Z', 'GLOBEX_BANK'),
    ]);
    expect([...groups.keys()]).toEqual(['ACME_BANK#DELIVERED', 'ACME_BANK#RETURNED', 'GLOBEX_BANK#DELIVERED']);
    expect(groups.get('ACME_BANK#DELIVERED')?.items.map((i) => i.event.data.kitNo)).toEqual(['1', '2']);
  });
});
