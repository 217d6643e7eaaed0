import * as z from 'zod';
import type { DeliveryStatus } from '../../../shared/contracts/index.js';
import { instantText } from './local-time.js';
import { awbText, codeText, fieldIssues, optionalFreeText, referenceText, type NativeFormat, type ScanParseResult } from './types.js';

/**
 * Delhivery's tracking push (webhook), one shipment per push:
 *
 *   { "Shipment": { "AWB": "1234567890123", "ReferenceNo": "4240181595", "NSLCode": "X-DDD3FD",
 *       "Sortcode": "MAA/TNR", "PickUpDate": "2026-04-13T10:00:00",
 *       "Status": { "Status": "Delivered", "StatusType": "DL", "StatusDateTime": "2026-04-15T11:11:00.556",
 *         "StatusLocation": "Chennai_Tnagar_D (Tamil Nadu)", "Instructions": "Delivered to consignee" } } }
 *
 * `StatusType` is the closed code (UD undelivered or in transit, DL delivered, RT returned, PP and
 * PU pickup, CN cancelled) and `Status` the text refining it: a delivered return is `DL` with
 * `RTO`. The code is `StatusType/STATUS` (the text upper-cased, spaces as `_`: `UD/IN_TRANSIT`).
 * `StatusDateTime` has no offset: India time. The kit is `ReferenceNo` or the `AWB`.
 */

const delhiveryBody = z.object({
  Shipment: z.object({
    AWB: awbText,
    ReferenceNo: referenceText,
    Status: z.object({
      StatusType: codeText(8),
      Status: codeText(64),
      StatusDateTime: z.string(),
      StatusLocation: optionalFreeText(128),
      Instructions: optionalFreeText(512),
    }),
  }),
});

/** `In Transit` as `IN_TRANSIT`: one spelling per status text, whatever its case and spacing. */
const codeKey = (text: string): string => text.trim().toUpperCase().replace(/\s+/g, '_');

export const delhiveryFormat: NativeFormat = {
  parse(json, { utcOffset }): ScanParseResult {
    const parsed = delhiveryBody.safeParse(json);
    if (!parsed.success) return { ok: false, issues: fieldIssues(parsed.error) };
    const { AWB, ReferenceNo, Status } = parsed.data.Shipment;
    const occurredAt = instantText(Status.StatusDateTime, utcOffset);
    if (occurredAt === undefined) return { ok: false, issues: [{ path: 'Shipment.Status.StatusDateTime', message: 'StatusDateTime must be a date and time like 2026-04-15T11:11:00' }] };
    const type = codeKey(Status.StatusType);
    const code = `${type}/${codeKey(Status.Status)}`;
    return {
      ok: true,
      scans: [
        {
          reference: ReferenceNo,
          awb: AWB,
          code,
          lookup: [code, type],
          occurredAt,
          location: Status.StatusLocation,
          remarks: Status.Instructions,
          paths: { reference: 'Shipment.ReferenceNo', occurredAt: 'Shipment.Status.StatusDateTime' },
        },
      ],
    };
  },
  /**
   * UD and RT hold whatever their text says (still with the courier; on the way back). DL does
   * not: a delivered RTO is a return, so DL maps only with the texts known here, and any other DL
   * text is refused by name until the bank configures it. PP, PU and CN are pickup and cancellation
   * states of a shipment, left to each bank's `statusCodes`.
   */
  statusCodes: new Map<string, DeliveryStatus>([
    ['UD', 'IN_TRANSIT'],
    ['RT', 'RETURNED'],
    ['DL/DELIVERED', 'DELIVERED'],
    ['DL/RTO', 'RETURNED'],
  ]),
};
