import { describe, expect, it } from 'vitest';
import { courierSettings, type CourierSettingsInput } from '../../functions/courier-webhook/couriers.js';
import { readCourierPayload, toEvents, type KitScan, type ReadOptions, type ReadResult } from '../../functions/courier-webhook/mapping/index.js';
import { instantText } from '../../functions/courier-webhook/mapping/local-time.js';
import { isJsonContentType } from '../../functions/courier-webhook/request.js';

const NOW = Date.parse('2026-04-20T00:00:00Z');
const OPTIONS: ReadOptions = { maxEvents: 500, nowMs: NOW, earliestMs: Date.parse('2020-01-01T00:00:00Z'), maxFutureMs: 600_000 };

const settings = (input: Partial<CourierSettingsInput> = {}) =>
  courierSettings.parse({ courier: 'bluedart', tenant: 'ACME_BANK', format: 'bluedart', secretId: 'x', kitLookup: 'referenceOrAwb', ...input });

const scans = (result: ReadResult) => {
  if (result.kind !== 'scans') throw new Error(`expected scans, got ${JSON.stringify(result)}`);
  return result.scans;
};
/** Events as the webhook builds them once each scan's kit is known (here: its reference). */
const events = (result: ReadResult, input: Partial<CourierSettingsInput> = {}) =>
  toEvents(
    scans(result).map((scan): KitScan => ({ ...scan, kitNo: scan.reference! })),
    settings(input),
  );

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

  it('uses the integration’s offset, cuts long descriptions and drops characters SQS refuses', () => {
    const [event] = events(readCourierPayload(blueDart(scan({ Scan: `${'x'.repeat(600)}`, ScannedLocation: 'DAL\uFFFEHOU\u0000SIE\uD800' })), settings({ utcOffset: '+04:00' }), OPTIONS));
    expect(event!.data.occurredAt).toBe('2024-04-15T11:11:00+04:00');
    expect(event!.data.remarks).toHaveLength(512);
    expect(event!.data.location).toBe('DALHOUSIE');
  });
});

describe('courier mapping: Delhivery push', () => {
  const delhivery = (status: Record<string, unknown> = {}, shipmentFields: Record<string, unknown> = {}) => ({
    Shipment: {
      AWB: '1234567890123',
      ReferenceNo: '4240181595',
      NSLCode: 'X-DDD3FD',
      Sortcode: 'MAA/TNR',
      PickUpDate: '2026-04-13T10:00:00',
      Status: { Status: 'Delivered', StatusType: 'DL', StatusDateTime: '2026-04-15T11:11:00.556', StatusLocation: 'Chennai_Tnagar_D (Tamil Nadu)', Instructions: 'Delivered to consignee', ...status },
      ...shipmentFields,
    },
  });
  const settingsOf = settings({ courier: 'delhivery', format: 'delhivery' });

  it('maps StatusType refined by Status, India time kept to the millisecond', () => {
    const read = (status: Record<string, unknown>) => events(readCourierPayload(delhivery(status), settingsOf, OPTIONS), { courier: 'delhivery', format: 'delhivery' })[0]!;
    expect(read({}).data).toEqual({
      kitNo: '4240181595',
      status: 'DELIVERED',
      occurredAt: '2026-04-15T11:11:00.556+05:30',
      awb: '1234567890123',
      courier: 'delhivery',
      location: 'Chennai_Tnagar_D (Tamil Nadu)',
      remarks: 'Delivered to consignee',
    });
    expect(read({ StatusType: 'UD', Status: 'In Transit', StatusDateTime: '2026-04-14 09:30:00' }).data).toMatchObject({ status: 'IN_TRANSIT', occurredAt: '2026-04-14T09:30:00+05:30' });
    expect(read({ StatusType: 'UD', Status: 'Dispatched' }).data.status).toBe('IN_TRANSIT');
    expect(read({ StatusType: 'RT', Status: 'In Transit' }).data.status).toBe('RETURNED');
    expect(read({ StatusType: 'DL', Status: 'RTO' }).data.status).toBe('RETURNED');
  });

  it('refuses DL texts, pickups and cancellations it does not know, by name, instead of guessing delivered', () => {
    for (const [type, text, code] of [
      ['DL', 'DTO', 'DL/DTO'],
      ['PU', 'Picked Up', 'PU/PICKED_UP'],
      ['CN', 'Canceled', 'CN/CANCELED'],
      ['PP', 'Open', 'PP/OPEN'],
    ] as const) {
      expect(readCourierPayload(delhivery({ StatusType: type, Status: text }), settingsOf, OPTIONS), code).toEqual({ kind: 'unknownCodes', codes: [code] });
    }
    const agreed = settings({ courier: 'delhivery', format: 'delhivery', statusCodes: { 'CN/CANCELED': 'BANK' } });
    expect(scans(readCourierPayload(delhivery({ StatusType: 'CN', Status: 'Canceled' }), agreed, OPTIONS))[0]!.status).toBe('BANK');
  });

  it('names a bad time or AWB by its field', () => {
    expect(readCourierPayload(delhivery({ StatusDateTime: '15/04/2026' }), settingsOf, OPTIONS)).toEqual({
      kind: 'invalid',
      issues: [{ path: 'Shipment.Status.StatusDateTime', message: 'StatusDateTime must be a date and time like 2026-04-15T11:11:00' }],
    });
    const badAwb = readCourierPayload(delhivery({}, { AWB: 'AWB 1' }), settingsOf, OPTIONS);
    expect(badAwb.kind === 'invalid' && badAwb.issues.map((i) => i.path)).toEqual(['Shipment.AWB']);
  });
});

describe('courier mapping: Shiprocket', () => {
  const shiprocket = (overrides: Record<string, unknown> = {}) => ({
    awb: 19041424751540,
    courier_name: 'Delhivery Surface',
    current_status: 'DELIVERED',
    current_status_id: 7,
    shipment_status: 'DELIVERED',
    shipment_status_id: 7,
    current_timestamp: '2026-04-15 11:11:05',
    order_id: '4240181595',
    sr_order_id: 348456385,
    etd: '2026-04-16 23:59:59',
    scans: [{ date: '2026-04-15 11:11:05', status: 'DLVD', activity: 'Delivered to Priya', location: 'Chennai', 'sr-status': '7', 'sr-status-label': 'DELIVERED' }],
    is_return: 0,
    pod_status: 'OTP Based Delivery',
    ...overrides,
  });
  const input = { courier: 'shiprocket', format: 'shiprocket', kitLookup: 'reference' } as const;

  it('maps the current shipment status, India time, kit from order_id', () => {
    const [event] = events(readCourierPayload(shiprocket(), settings(input), OPTIONS), input);
    expect(event!.data).toEqual({ kitNo: '4240181595', status: 'DELIVERED', occurredAt: '2026-04-15T11:11:05+05:30', awb: '19041424751540', courier: 'shiprocket' });
    expect(JSON.stringify(event)).not.toContain('Priya');
    const dayFirst = events(readCourierPayload(shiprocket({ current_timestamp: '14 04 2026 18:30:00', shipment_status_id: '18' }), settings(input), OPTIONS), input)[0]!;
    expect([dayFirst.data.status, dayFirst.data.occurredAt]).toEqual(['IN_TRANSIT', '2026-04-14T18:30:00+05:30']);
  });

  it('takes a return leg as RETURNED, and RTO statuses as RETURNED', () => {
    const status = (overrides: Record<string, unknown>) => scans(readCourierPayload(shiprocket(overrides), settings(input), OPTIONS))[0]!.status;
    expect(status({ is_return: 1, shipment_status_id: 18 })).toBe('RETURNED');
    expect(status({ is_return: true, shipment_status_id: 7 })).toBe('RETURNED');
    expect(status({ shipment_status_id: 10 })).toBe('RETURNED');
    expect(status({ is_return: '0', shipment_status_id: 17 })).toBe('IN_TRANSIT');
  });

  it('refuses statuses it does not know by their number', () => {
    expect(readCourierPayload(shiprocket({ shipment_status_id: 8 }), settings(input), OPTIONS)).toEqual({ kind: 'unknownCodes', codes: ['8'] });
    const invalid = readCourierPayload(shiprocket({ shipment_status_id: 'DELIVERED', order_id: null }), settings(input), OPTIONS);
    expect(invalid.kind === 'invalid' && invalid.issues.map((i) => i.path)).toEqual(['shipment_status_id']);
    expect(readCourierPayload(shiprocket({ order_id: null }), settings(input), OPTIONS)).toEqual({
      kind: 'invalid',
      issues: [{ path: 'order_id', message: 'is required: this integration finds kits by our reference (the kit number)' }],
    });
  });
});

describe('courier mapping: generic', () => {
  const generic = { courier: 'acme-courier', format: 'generic', tenant: 'GLOBEX_BANK', kitLookup: 'reference' } as const;
  const event = (overrides: Record<string, unknown> = {}) => ({ kitNo: '4240181595', status: 'DELIVERED', occurredAt: '2024-04-15T11:11:00+05:30', ...overrides });

  it('reads one event or a batch', () => {
    expect(events(readCourierPayload(event(), settings(generic), OPTIONS), generic)).toHaveLength(1);
    expect(events(readCourierPayload({ events: [event(), event({ status: 'BANK', occurredAt: '2024-04-16T11:11:00+05:30' })] }, settings(generic), OPTIONS), generic).map((e) => e.data.status)).toEqual([
      'DELIVERED',
      'BANK',
    ]);
  });

  it('gives one instant the same id however its offset is written', () => {
    const ist = events(readCourierPayload(event(), settings(generic), OPTIONS), generic)[0]!.id;
    const utc = events(readCourierPayload(event({ occurredAt: '2024-04-15T05:41:00Z' }), settings(generic), OPTIONS), generic)[0]!.id;
    expect(utc).toBe(ist);
  });

  it('lists each bad field, refuses sentences as status codes and more events than allowed', () => {
    expect(readCourierPayload({ events: [] }, settings(generic), OPTIONS)).toEqual({ kind: 'invalid', issues: [{ path: 'events', message: 'at least one event is required' }] });
    const result = readCourierPayload(event({ kitNo: 42, occurredAt: '2024-04-15 11:11', status: 'Handed to a neighbour' }), settings(generic), OPTIONS);
    expect(result.kind === 'invalid' && result.issues.map((i) => i.path)).toEqual(['kitNo', 'status', 'occurredAt']);
    expect(readCourierPayload({ events: [event(), event({ status: 'BANK' })] }, settings(generic), { ...OPTIONS, maxEvents: 1 })).toEqual({
      kind: 'invalid',
      issues: [{ path: '(root)', message: 'too many events: at most 1 per request, this one has 2' }],
    });
  });
});

describe('courier local times', () => {
  it('reads the couriers’ spellings as India time and keeps an explicit offset', () => {
    expect(['2026-04-15T11:11:00', '2026-04-15 11:11', '15 04 2026 11:11:00', '15-Apr-2026 11:11', '2026-04-15T05:41:00Z'].map((t) => instantText(t, '+05:30'))).toEqual([
      '2026-04-15T11:11:00+05:30',
      '2026-04-15T11:11:00+05:30',
      '2026-04-15T11:11:00+05:30',
      '2026-04-15T11:11:00+05:30',
      '2026-04-15T05:41:00Z',
    ]);
    expect(['2026-02-30 10:00', '2026-04-15 25:00', '0099-04-15 10:00', 'yesterday'].map((t) => instantText(t, '+05:30'))).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('courier webhook content type', () => {
  it('accepts application/json with no charset or utf-8 only', () => {
    expect(['application/json', 'Application/JSON; charset=UTF-8', 'application/json;charset="utf-8"'].map(isJsonContentType)).toEqual([true, true, true]);
    expect([undefined, '', 'text/json', 'application/json-patch+json', 'application/json; charset=latin1'].map(isJsonContentType)).toEqual([false, false, false, false, false]);
  });
});
