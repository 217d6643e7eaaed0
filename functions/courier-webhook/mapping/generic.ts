import * as z from 'zod';
import { kitNumber, type DeliveryStatus } from '../../../shared/contracts/courier-kit-status.js';
import { rfc3339 } from '../../../shared/contracts/envelope.js';
import { awbText, fieldIssues, formatPath, optionalFreeText, type CourierScan, type NativeFormat, type ScanParseResult } from './types.js';

/**
 * Our own documented format, for couriers without a native one of their own. One event, or
 * `{ "events": [ … ] }`:
 *
 *   { "kitNo": "4240181595", "status": "DELIVERED", "occurredAt": "2024-04-15T11:11:00+05:30",
 *     "awb": "32592631260", "location": "CHENNAI", "remarks": "Delivered to addressee" }
 *
 * `status` is one of IN_TRANSIT, DELIVERED, RETURNED, BANK, or a code agreed in the courier's
 * `statusCodes`: a code, not a sentence; `occurredAt` is RFC 3339 with an offset. Unknown fields
 * are ignored.
 */
const genericEvent = z.object({
  kitNo: kitNumber,
  status: z.string().regex(/^[A-Za-z0-9_./-]{1,64}$/, 'status must be a status code: letters, digits, _ . / - (at most 64)'),
  occurredAt: rfc3339,
  awb: awbText.optional(),
  location: optionalFreeText(128),
  remarks: optionalFreeText(512),
});
const genericBatch = z.object({ events: z.array(genericEvent).min(1, 'at least one event is required') });
const genericSingle = genericEvent.transform((event) => ({ events: [event] }));

const isBatch = (json: unknown): boolean => typeof json === 'object' && json !== null && !Array.isArray(json) && 'events' in json;

export const genericFormat: NativeFormat = {
  parse(json): ScanParseResult {
    const batch = isBatch(json);
    const parsed = batch ? genericBatch.safeParse(json) : genericSingle.safeParse(json);
    if (!parsed.success) return { ok: false, issues: fieldIssues(parsed.error) };
    const at = (index: number, field: string) => formatPath(batch ? ['events', index, field] : [field]);
    return {
      ok: true,
      scans: parsed.data.events.map((event, index): CourierScan => ({
        reference: event.kitNo,
        awb: event.awb,
        code: event.status,
        lookup: [event.status],
        occurredAt: event.occurredAt,
        location: event.location,
        remarks: event.remarks,
        paths: { reference: at(index, 'kitNo'), occurredAt: at(index, 'occurredAt') },
      })),
    };
  },
  // Our format speaks the contract's statuses directly.
  statusCodes: new Map<string, DeliveryStatus>([
    ['IN_TRANSIT', 'IN_TRANSIT'],
    ['DELIVERED', 'DELIVERED'],
    ['RETURNED', 'RETURNED'],
    ['BANK', 'BANK'],
  ]),
};
