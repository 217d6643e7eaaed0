/** Push bodies in the couriers' formats (functions/courier-webhook/mapping). */

/** One event of our generic format. */
export const genericEvent = (kitNo: string, status = 'DELIVERED', occurredAt = '2026-04-15T11:11:00+05:30') => ({ kitNo, status, occurredAt, awb: `AWB${kitNo}`, location: 'CHENNAI' });

/** Blue Dart's push (mapping/bluedart.ts): one ScanDetail. */
export const blueDartScan = (ScanType: string, ScanCode: string | number, ScanDate: string, ScanTime: string) => ({
  ScanType,
  ScanGroupType: 'S',
  ScanCode,
  Scan: 'SHIPMENT SCAN',
  ScanDate,
  ScanTime,
  ScannedLocation: 'DALHOUSIE',
});

/** Blue Dart's push: `statustracking[].Shipment`, our kit number in RefNo (or none: the AWB must then be known). */
export const blueDartBody = (shipments: Array<{ kitNo?: string; waybillNo: string; scans: object[] }>) => ({
  statustracking: shipments.map((s) => ({
    Shipment: {
      WaybillNo: s.waybillNo,
      RefNo: s.kitNo ?? '',
      Prodcode: 'D',
      Origin: 'MUMBAI',
      Destination: 'KOLKATA',
      Scans: { DeliveryDetails: { ReceivedBy: 'PRASENJIT', Relation: 'SELF' }, ScanDetail: s.scans },
    },
  })),
});
