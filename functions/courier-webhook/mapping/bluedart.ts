import * as z from 'zod';
import type { DeliveryStatus } from '../../../shared/contracts/index.js';
import { atOffset, calendarDate, clockTime } from './local-time.js';
import { awbText, codeText, fieldIssues, formatPath, oneOrMany, optionalFreeText, referenceText, type CourierScan, type NativeFormat, type ScanParseResult } from './types.js';

/**
 * Blue Dart's status push ("statustracking"), as its public client code shows it:
 *
 *   { "statustracking": [ { "Shipment": { "WaybillNo": "32592631260", "RefNo": "4240181595",
 *       "Prodcode": "D", "Origin": "MUMBAI", "Destination": "CHENNAI", …,
 *       "Scans": { "DeliveryDetails": { "ReceivedBy": "…", "Relation": "…" },
 *         "ScanDetail": [ { "ScanType": "DL", "ScanGroupType": "S", "ScanCode": "000",
 *           "Scan": "SHIPMENT DELIVERED", "ScanDate": "15-Apr-2024", "ScanTime": "11:11",
 *           "ScannedLocation": "CHENNAI" } ] } } } ] }
 *
 * One push carries several shipments, each with several scans (its history, in any order): every
 * scan becomes one event, and the worker keeps the newest per kit. The status comes from
 * `ScanType`, a short closed code, refined by `ScanCode` where a bank agreed one; never from the
 * free-text `Scan`. Scan dates carry no offset: they are India time (the integration's `utcOffset`).
 * The kit is `RefNo` (our kit number, given at booking) or the AWB (`WaybillNo`). Fields we do
 * not need, `DeliveryDetails` (a person's name and relation) among them, are dropped unread.
 */

const scanDetail = z.object({
  ScanType: codeText(8),
  ScanCode: codeText(16),
  ScanDate: z.string().refine((value) => calendarDate(value) !== undefined, 'ScanDate must be a date like 15-Apr-2024'),
  ScanTime: z.string().refine((value) => clockTime(value) !== undefined, 'ScanTime must be a time like 11:11 (24-hour)'),
  ScannedLocation: optionalFreeText(128),
  Scan: optionalFreeText(512),
});

const shipment = z.object({
  WaybillNo: awbText,
  RefNo: referenceText,
  Scans: z.object({ ScanDetail: oneOrMany(scanDetail) }),
});

const bluedartBody = z.object({ statustracking: oneOrMany(z.object({ Shipment: shipment })) });

const path = (shipmentIndex: number, ...rest: Array<string | number>) => formatPath(['statustracking', shipmentIndex, 'Shipment', ...rest]);

export const bluedartFormat: NativeFormat = {
  parse(json, { utcOffset }): ScanParseResult {
    const parsed = bluedartBody.safeParse(json);
    if (!parsed.success) return { ok: false, issues: fieldIssues(parsed.error) };
    const scans = parsed.data.statustracking.flatMap(({ Shipment: item }, shipmentIndex) =>
      item.Scans.ScanDetail.map((scan, scanIndex): CourierScan => {
        const code = `${scan.ScanType}/${scan.ScanCode}`;
        return {
          reference: item.RefNo,
          awb: item.WaybillNo,
          code,
          lookup: [code, scan.ScanType],
          occurredAt: atOffset(calendarDate(scan.ScanDate)!, clockTime(scan.ScanTime)!, utcOffset),
          location: scan.ScannedLocation,
          remarks: scan.Scan,
          paths: { reference: path(shipmentIndex, 'RefNo'), occurredAt: path(shipmentIndex, 'Scans', 'ScanDetail', scanIndex, 'ScanDate') },
        };
      }),
    );
    return { ok: true, scans };
  },
  /**
   * Blue Dart scan types (DCMS's kit-tracking sample): DL delivered, UD in process or an
   * undelivered attempt (the kit is still with the courier; out for delivery is UD/002), RT
   * returned to origin. Blue Dart has no code of its own for "handed back at the bank branch":
   * each bank agrees one and configures it as BANK in the integration's `statusCodes`.
   */
  statusCodes: new Map<string, DeliveryStatus>([
    ['DL', 'DELIVERED'],
    ['UD', 'IN_TRANSIT'],
    ['RT', 'RETURNED'],
  ]),
};
