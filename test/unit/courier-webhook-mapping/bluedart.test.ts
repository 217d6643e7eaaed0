import { describe, expect, it } from 'vitest';
import { readCourierPayload } from '../../../functions/courier-webhook/mapping/index.js';
import { events, OPTIONS, scans, settings } from './fixtures.js';

// Blue Dart's push: statustracking[].Shipment with Scans.ScanDetail[] (see mapping/bluedart.ts).
const scan = (overrides: Record<string, unknown> = {}) => ({
  ScanType: 'DL',
  ScanGroupType: 'S',
  ScanCode: '000',
  Scan: 'SHIPMENT DELIVERED',
  ScanDate: '15-Apr-2024',
  ScanTime: '11:11',
  ScannedLocation: 'DALHOUSIE',
  ...overrides,
});
const shipment = (scanDetail: unknown, overrides: Record<string, unknown> = {}) => ({
  Shipment: {
    WaybillNo: '32592631260',
    RefNo: '41063130',
    Prodcode: 'D',
    Origin: 'MUMBAI',
    Destination: 'KOLKATA',
    PickUpDate: '12-Apr-2024',
    ExpectedDeliveryDate: '13-Apr-2024',
    Scans: { DeliveryDetails: { ReceivedBy: 'PRASENJIT', Relation: 'SELF' }, ScanDetail: scanDetail },
    ...overrides,
  },
});
const blueDart = (...scanDetail: object[]) => ({ statustracking: [shipment(scanDetail)] });

describe('courier mapping: Blue Dart push', () => {
  it('maps a scan to a courier.kit.status.v1 event in the integration’s tenant, India time with its offset', () => {
    const [event] = events(readCourierPayload(blueDart(scan()), settings(), OPTIONS));
    expect(event).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      source: 'urn:courier:bluedart',
      type: 'courier.kit.status.v1',
      time: '2024-04-15T11:11:00+05:30',
      tenant: 'ACME_BANK',
      datacontenttype: 'application/json',
      subject: '41063130',
      data: { kitNo: '41063130', status: 'DELIVERED', occurredAt: '2024-04-15T11:11:00+05:30', awb: '32592631260', courier: 'bluedart', location: 'DALHOUSIE', remarks: 'SHIPMENT DELIVERED' },
    });
    expect(JSON.stringify(event)).not.toContain('PRASENJIT');
  });

  it('reads several shipments with several scans each, oldest first, and a lone ScanDetail object', () => {
    const body = {
      statustracking: [
        shipment([scan(), scan({ ScanType: 'UD', ScanCode: '002', ScanDate: '2024-04-15', ScanTime: '0905' })]),
        shipment(scan({ ScanType: 'RT', ScanCode: 'BRC', ScanDate: '16-04-2024', ScanTime: '18:00:30' }), { WaybillNo: 32592631261, RefNo: 41063131 }),
      ],
    };
    const mapped = events(readCourierPayload(body, settings({ statusCodes: { 'RT/BRC': 'BANK' } }), OPTIONS));
    expect(mapped.map((e) => [e.data.kitNo, e.data.awb, e.data.status, e.data.occurredAt])).toEqual([
      ['41063130', '32592631260', 'IN_TRANSIT', '2024-04-15T09:05:00+05:30'],
      ['41063130', '32592631260', 'DELIVERED', '2024-04-15T11:11:00+05:30'],
      ['41063131', '32592631261', 'BANK', '2024-04-16T18:00:30+05:30'],
    ]);
  });

  it('gives a scan the same id whatever the request around it, and different facts different ids', () => {
    const alone = events(readCourierPayload(blueDart(scan()), settings(), OPTIONS))[0]!.id;
    const inBatch = events(readCourierPayload(blueDart(scan({ ScanType: 'UD', ScanCode: 9, ScanTime: '08:00' }), scan({ ScanCode: '001', Scan: 'other words' })), settings(), OPTIONS))[1]!.id;
    expect(inBatch).toBe(alone);
    const later = events(readCourierPayload(blueDart(scan({ ScanTime: '11:12' })), settings(), OPTIONS))[0]!.id;
    expect(later).not.toBe(alone);
  });

  it('takes two codes for one fact in the same minute as one event', () => {
    expect(events(readCourierPayload(blueDart(scan({ ScanType: 'UD', ScanCode: 9 }), scan({ ScanType: 'UD', ScanCode: '010' })), settings(), OPTIONS))).toHaveLength(1);
  });

  it('uses the integration’s offset, cuts long descriptions and drops characters SQS refuses', () => {
    const [event] = events(readCourierPayload(blueDart(scan({ Scan: `${'x'.repeat(600)}`, ScannedLocation: 'DAL\uFFFEHOU\u0000SIE\uD800' })), settings({ utcOffset: '+04:00' }), OPTIONS));
    expect(event!.data.occurredAt).toBe('2024-04-15T11:11:00+04:00');
    expect(event!.data.remarks).toHaveLength(512);
    expect(event!.data.location).toBe('DALHOUSIE');
  });
});

describe('courier mapping: Blue Dart references, codes and dates', () => {
  it('keeps a scan without a reference for the AWB lookup, and refuses one whose reference is not a kit number', () => {
    const [withoutRef] = scans(readCourierPayload({ statustracking: [shipment([scan()], { RefNo: '' })] }, settings(), OPTIONS));
    expect([withoutRef!.reference, withoutRef!.awb]).toEqual([undefined, '32592631260']);
    expect(readCourierPayload({ statustracking: [shipment([scan()], { RefNo: null })] }, settings({ kitLookup: 'reference' }), OPTIONS)).toEqual({
      kind: 'invalid',
      issues: [{ path: 'statustracking[0].Shipment.RefNo', message: 'is required: this integration finds kits by our reference (the kit number)' }],
    });
    expect(readCourierPayload({ statustracking: [shipment([scan(), scan()], { RefNo: 'TKH0012-020424-20' })] }, settings(), OPTIONS)).toEqual({
      kind: 'invalid',
      issues: [{ path: 'statustracking[0].Shipment.RefNo', message: 'must be our kit number (1 to 32 letters or digits)' }],
    });
  });

  it('names every unmapped code, built-in property names included, and maps nothing', () => {
    const result = readCourierPayload(
      blueDart(scan(), scan({ ScanType: 'XX', ScanCode: 1 }), scan({ ScanType: 'XX', ScanCode: 1 }), scan({ ScanType: 'PU', ScanCode: 'A' }), scan({ ScanType: 'toString', ScanCode: 'constructor' })),
      settings(),
      OPTIONS,
    );
    expect(result).toEqual({ kind: 'unknownCodes', codes: ['XX/1', 'PU/A', 'toString/constructor'] });
    expect(readCourierPayload(blueDart(scan({ ScanType: 'valueOf', ScanCode: '__proto__' })), settings(), OPTIONS)).toEqual({ kind: 'unknownCodes', codes: ['valueOf/__proto__'] });
  });

  it('refuses impossible dates and times with the field’s path', () => {
    const result = readCourierPayload(blueDart(scan({ ScanDate: '29-Feb-2023' }), scan({ ScanDate: '2024/04/15', ScanTime: '24:00' })), settings(), OPTIONS);
    expect(result).toEqual({
      kind: 'invalid',
      issues: [
        { path: 'statustracking[0].Shipment.Scans.ScanDetail[0].ScanDate', message: 'ScanDate must be a date like 15-Apr-2024' },
        { path: 'statustracking[0].Shipment.Scans.ScanDetail[1].ScanDate', message: 'ScanDate must be a date like 15-Apr-2024' },
        { path: 'statustracking[0].Shipment.Scans.ScanDetail[1].ScanTime', message: 'ScanTime must be a time like 11:11 (24-hour)' },
      ],
    });
    expect(events(readCourierPayload(blueDart(scan({ ScanDate: '29-feb-2024' })), settings(), OPTIONS))[0]!.data.occurredAt).toBe('2024-02-29T11:11:00+05:30');
  });

  it('refuses a scan dated more than ten minutes ahead or before the floor, naming its date field', () => {
    for (const ScanDate of ['15-Apr-2099', '01-Jan-9999', '31-Dec-2019']) {
      const result = readCourierPayload(blueDart(scan(), scan({ ScanDate })), settings(), OPTIONS);
      expect(result.kind === 'invalid' && result.issues.map((issue) => issue.path), ScanDate).toEqual(['statustracking[0].Shipment.Scans.ScanDetail[1].ScanDate']);
    }
    const nineMinutesAhead = { ...OPTIONS, nowMs: Date.parse('2024-04-15T11:02:00+05:30') };
    expect(readCourierPayload(blueDart(scan()), settings(), nineMinutesAhead).kind).toBe('scans');
  });
});
