import * as z from 'zod';
import { kitNumber, rfc3339 } from '../../../shared/contracts/index.js';
import { fieldIssues, freeText, type CourierScan, type NativeFormat, type ScanParseResult } from './types.js';

/**
 * Our own documented format, for couriers without a native one of their own. One event, or
 * `{ "events": [ … ] }`:
 *
 *   { "kitNo": "4240181595", "status": "DELIVERED", "occurredAt": "2024-04-15T11:11:00+05:30",
 *     "awb": "32592631260", "location": "CHENNAI", "remarks": "Delivered to addressee" }
 *
 * `status` is one of IN_TRANSIT, DELIVERED, RETURNED, BANK, or a code agreed in the courier's
 * `statusCodes`; `occurredAt` is RFC 3339 with an offset. Unknown fields are ignored.
 */
const genericEvent = z.object({
  kitNo: kitNumber,
  status: z.string().trim().min(1).max(64),
  occurredAt: rfc3339,
  awb: z.string().trim().min(1).max(64).optional(),
  location: freeText(128).optional(),
  remarks: freeText(512).optional(),
});
const genericBatch = z.object({ events: z.array(genericEvent).min(1, 'at least one event is required') });
const genericSingle = genericEvent.transform((event) => ({ events: [event] }));

const isBatch = (json: unknown): boolean => typeof json === 'object' && json !== null && !Array.isArray(json) && 'events' in json;

const toScan = (event: z.infer<typeof genericEvent>): CourierScan => ({
  kitNo: event.kitNo,
  code: event.status,
  lookup: [event.status],
  occurredAt: event.occurredAt,
  awb: event.awb,
  location: event.location,
  remarks: event.remarks,
});

export const genericFormat: NativeFormat = {
  parse(json): ScanParseResult {
    const parsed = isBatch(json) ? genericBatch.safeParse(json) : genericSingle.safeParse(json);
    return parsed.success ? { ok: true, scans: parsed.data.events.map(toScan) } : { ok: false, issues: fieldIssues(parsed.error) };
  },
  // Our format speaks the contract's statuses directly.
  statusCodes: { IN_TRANSIT: 'IN_TRANSIT', DELIVERED: 'DELIVERED', RETURNED: 'RETURNED', BANK: 'BANK' },
};
