import * as z from 'zod';
import type { DeliveryStatus } from '../../../shared/contracts/index.js';
import { instantText } from './local-time.js';
import { awbText, fieldIssues, referenceText, type NativeFormat, type ScanParseResult } from './types.js';

/**
 * Shiprocket's shipment-status webhook (an aggregator over many couriers), one shipment per push:
 *
 *   { "awb": "19041424751540", "courier_name": "Delhivery Surface", "current_status": "DELIVERED",
 *     "current_status_id": 7, "shipment_status": "DELIVERED", "shipment_status_id": 7,
 *     "current_timestamp": "2026-04-15 11:11:05", "order_id": "4240181595", "sr_order_id": 348456385,
 *     "etd": "2026-04-16 23:59:59", "scans": [ { "date": "…", "status": "…", "activity": "…",
 *     "location": "…", "sr-status": "7", "sr-status-label": "DELIVERED" } ], "is_return": 0, "pod_status": "…" }
 *
 * One event per push: the shipment's current status (`shipment_status_id`, Shiprocket's numeric
 * status, is the code) at `current_timestamp` (India time when it carries no offset; Shiprocket
 * also writes it day first, `15 04 2026 11:11:05`). The `scans` history is not mapped: its older
 * scans would be stale for the worker anyway, and their `sr-status` is often "NA". `is_return`
 * marks a return (RTO) leg: the kit is on its way back. The kit is `order_id` (our kit number, the
 * merchant's order reference at booking) or the `awb`.
 */

const statusId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,4}$/)], { error: 'shipment_status_id must be a Shiprocket status number' }).transform(String);
const flag = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.literal('0'), z.literal('1')], { error: 'is_return must be 0 or 1' })
  .transform((value) => value === true || value === 1 || value === '1');

const shiprocketBody = z.object({
  awb: awbText,
  order_id: referenceText,
  shipment_status_id: statusId,
  current_timestamp: z.string(),
  is_return: flag.nullish(),
});

export const shiprocketFormat: NativeFormat = {
  parse(json, { utcOffset }): ScanParseResult {
    const parsed = shiprocketBody.safeParse(json);
    if (!parsed.success) return { ok: false, issues: fieldIssues(parsed.error) };
    const body = parsed.data;
    const occurredAt = instantText(body.current_timestamp, utcOffset);
    if (occurredAt === undefined) return { ok: false, issues: [{ path: 'current_timestamp', message: 'current_timestamp must be a date and time like 2026-04-15 11:11:05' }] };
    return {
      ok: true,
      scans: [
        {
          reference: body.order_id,
          awb: body.awb,
          code: body.shipment_status_id,
          lookup: [body.shipment_status_id],
          returnLeg: body.is_return === true,
          occurredAt,
          paths: { reference: 'order_id', occurredAt: 'current_timestamp' },
        },
      ],
    };
  },
  /**
   * Shiprocket's published shipment statuses that say where a kit is: 6 shipped, 42 picked up,
   * 18 in transit, 38 reached the destination hub, 17 out for delivery and 21 undelivered (an
   * attempt: still with the courier) are in transit; 7 delivered; 9 RTO initiated, 46 RTO in
   * transit and 10 RTO delivered are returns. The rest (cancellations, lost, damaged, warehouse and
   * packing states) are refused by name until the bank decides what they mean for a kit.
   */
  statusCodes: new Map<string, DeliveryStatus>([
    ['6', 'IN_TRANSIT'],
    ['42', 'IN_TRANSIT'],
    ['18', 'IN_TRANSIT'],
    ['38', 'IN_TRANSIT'],
    ['17', 'IN_TRANSIT'],
    ['21', 'IN_TRANSIT'],
    ['7', 'DELIVERED'],
    ['9', 'RETURNED'],
    ['46', 'RETURNED'],
    ['10', 'RETURNED'],
  ]),
};
