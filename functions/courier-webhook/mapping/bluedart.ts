import * as z from 'zod';
import { kitNumber } from '../../../shared/contracts/index.js';
import { fieldIssues, freeText, type CourierScan, type NativeFormat, type ScanParseResult } from './types.js';

/**
 * Blue Dart scan format, as DCMS kitTracking relays it (reference dcms-api.md §3.5):
 *
 *   { "shipmentData": { "shipment": [ { "waybillNo": "32592631260", "kitNo": "41063130",
 *       "scans": { "scanDetail": [ { "scan": "SHIPMENT DELIVERED", "scanCode": "000",
 *         "scanDate": "15-Apr-2024", "scanTime": "11:11", "scanType": "DL",
 *         "scannedLocation": "DALHOUSIE", "inudsIndStatus": "Delivered" } ] } } ] } }
 *
 * Every scan becomes one event (the worker keeps the newest per kit and skips stale ones).
 * The status comes from `scanType`, a short closed code, refined by `scanCode` where a bank
 * agreed one; never from the free-text `scan` or the bank-specific `inudsIndStatus` labels.
 * Scan dates carry no offset: they are the courier's local time (the integration's `utcOffset`).
 * Fields we do not need, `receivedBy` (a person's name) among them, are dropped unread.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const SCAN_DATE = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/;
const SCAN_TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** `15-Apr-2024` as `2024-04-15`, or undefined when it is not a calendar date. */
function isoDate(scanDate: string): string | undefined {
  const match = SCAN_DATE.exec(scanDate);
  if (!match) return undefined;
  const [, day, monthName, year] = match as unknown as [string, string, string, string];
  const month = MONTHS.indexOf(monthName.toLowerCase()) + 1;
  if (month === 0) return undefined;
  const date = new Date(Date.UTC(Number(year), month - 1, Number(day)));
  // Date.UTC rolls 31-Feb over into March; a real date survives the round trip.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== Number(day)) return undefined;
  return date.toISOString().slice(0, 10);
}

/** `scanCode` (and a waybill) is a string or a number in the samples: kept as the text the courier sent. */
const codeText = (max: number) => z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1).max(max));

const scanDetail = z.object({
  scanType: z.string().trim().min(1).max(8),
  scanCode: codeText(16),
  scanDate: z.string().refine((value) => isoDate(value) !== undefined, 'scanDate must be a date like 15-Apr-2024'),
  scanTime: z.string().regex(SCAN_TIME, 'scanTime must be a time like 11:11 (24-hour)'),
  scannedLocation: freeText(128).optional(),
  scan: freeText(512).optional(),
});

const shipment = z.object({
  waybillNo: codeText(64),
  kitNo: kitNumber,
  scans: z.object({ scanDetail: z.array(scanDetail).min(1, 'at least one scan is required') }),
});

const bluedartBody = z.object({ shipmentData: z.object({ shipment: z.array(shipment).min(1, 'at least one shipment is required') }) });

function occurredAt(scanDate: string, scanTime: string, utcOffset: string): string {
  const [hours, minutes] = scanTime.split(':') as [string, string];
  return `${isoDate(scanDate)}T${hours.padStart(2, '0')}:${minutes}:00${utcOffset}`;
}

export const bluedartFormat: NativeFormat = {
  parse(json, { utcOffset }): ScanParseResult {
    const parsed = bluedartBody.safeParse(json);
    if (!parsed.success) return { ok: false, issues: fieldIssues(parsed.error) };
    const scans = parsed.data.shipmentData.shipment.flatMap((item) =>
      item.scans.scanDetail.map(
        (scan): CourierScan => ({
          kitNo: item.kitNo,
          code: `${scan.scanType}/${scan.scanCode}`,
          lookup: [`${scan.scanType}/${scan.scanCode}`, scan.scanType],
          occurredAt: occurredAt(scan.scanDate, scan.scanTime, utcOffset),
          awb: item.waybillNo,
          location: scan.scannedLocation,
          remarks: scan.scan,
        }),
      ),
    );
    return { ok: true, scans };
  },
  /**
   * Blue Dart scan types: DL delivered, UD in process or an undelivered attempt (the kit is still
   * with the courier; the §3.5 sample labels it "In-transit"), RT return to origin. Blue Dart has
   * no code of its own for "handed back at the bank branch": each bank agrees one and configures
   * it as BANK in the integration's `statusCodes`.
   */
  statusCodes: { DL: 'DELIVERED', UD: 'IN_TRANSIT', RT: 'RETURNED' },
};
