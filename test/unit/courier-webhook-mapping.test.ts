import { describe, expect, it } from 'vitest';
import { courierSettings, type CourierSettingsInput } from '../../functions/courier-webhook/couriers.js';
import { mapCourierPayload } from '../../functions/courier-webhook/mapping/index.js';
import { isJsonContentType } from '../../functions/courier-webhook/request.js';

const settings = (input: Partial<CourierSettingsInput> = {}) =>
  courierSettings.parse({ courier: 'bluedart', tenant: 'ACME_BANK', format: 'bluedart', secretId: 'x', ...input });

const scan = (overrides: Record<string, unknown> = {}) => ({ scan: 'SHIPMENT DELIVERED', scanCode: '000', scanDate: '15-Apr-2024', scanTime: '11:11', scanType: 'DL', scannedLocation: 'DALHOUSIE', ...overrides });
const blueDart = (...scans: object[]) => ({ shipmentData: { shipment: [{ waybillNo: '32592631260', kitNo: '41063130', receivedBy: 'PRASENJIT', scans: { scanDetail: scans } }] } });

const events = (result: ReturnType<typeof mapCourierPayload>) => {
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events;
};

describe('courier mapping: Blue Dart', () => {
  it('maps a scan to a courier.kit.status.v1 event in the integration’s tenant, local time with its offset', () => {
    const [event] = events(mapCourierPayload(blueDart(scan()), settings(), 500));
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
  });

  it('maps DL, UD and RT; a configured scanType/scanCode wins over the built-in table (BANK)', () => {
    const mapped = events(
      mapCourierPayload(
        blueDart(scan({ scanType: 'UD', scanCode: 9, scanTime: '9:05' }), scan({ scanType: 'RT', scanCode: '021' }), scan({ scanType: 'RT', scanCode: 'BRC', scanTime: '18:00' })),
        settings({ statusCodes: { 'RT/BRC': 'BANK' } }),
        500,
      ),
    );
    expect(mapped.map((e) => [e.data.status, e.data.occurredAt])).toEqual([
      ['IN_TRANSIT', '2024-04-15T09:05:00+05:30'],
      ['RETURNED', '2024-04-15T11:11:00+05:30'],
      ['BANK', '2024-04-15T18:00:00+05:30'],
    ]);
  });

  it('names every unmapped code and maps nothing', () => {
    expect(mapCourierPayload(blueDart(scan(), scan({ scanType: 'XX', scanCode: 1 }), scan({ scanType: 'XX', scanCode: 1 }), scan({ scanType: 'PU', scanCode: 'A' })), settings(), 500)).toEqual({
      kind: 'unknownCodes',
      codes: ['XX/1', 'PU/A'],
    });
  });

  it('gives a scan the same id whatever the request around it, and different facts different ids', () => {
    const alone = events(mapCourierPayload(blueDart(scan()), settings(), 500))[0]!.id;
    const inBatch = events(mapCourierPayload(blueDart(scan({ scanType: 'UD', scanCode: 9, scanTime: '08:00' }), scan({ scanCode: '001', scan: 'other words' })), settings(), 500))[1]!.id;
    expect(inBatch).toBe(alone);
    const later = events(mapCourierPayload(blueDart(scan({ scanTime: '11:12' })), settings(), 500))[0]!.id;
    expect(later).not.toBe(alone);
  });

  it('takes two codes for one fact in the same minute as one event', () => {
    expect(events(mapCourierPayload(blueDart(scan({ scanType: 'UD', scanCode: 9 }), scan({ scanType: 'UD', scanCode: '010' })), settings(), 500))).toHaveLength(1);
  });

  it('refuses impossible dates and times with the field’s path', () => {
    const result = mapCourierPayload(blueDart(scan({ scanDate: '29-Feb-2023' }), scan({ scanDate: '2024-04-15', scanTime: '24:00' })), settings(), 500);
    expect(result).toEqual({
      kind: 'invalid',
      issues: [
        { path: 'shipmentData.shipment[0].scans.scanDetail[0].scanDate', message: 'scanDate must be a date like 15-Apr-2024' },
        { path: 'shipmentData.shipment[0].scans.scanDetail[1].scanDate', message: 'scanDate must be a date like 15-Apr-2024' },
        { path: 'shipmentData.shipment[0].scans.scanDetail[1].scanTime', message: 'scanTime must be a time like 11:11 (24-hour)' },
      ],
    });
    expect(events(mapCourierPayload(blueDart(scan({ scanDate: '29-feb-2024' })), settings(), 500))[0]!.data.occurredAt).toBe('2024-02-29T11:11:00+05:30');
  });

  it('uses the integration’s offset and cuts long descriptions to the contract’s length', () => {
    const [event] = events(mapCourierPayload(blueDart(scan({ scan: 'x'.repeat(600) })), settings({ utcOffset: '+04:00' }), 500));
    expect(event!.data.occurredAt).toBe('2024-04-15T11:11:00+04:00');
    expect(event!.data.remarks).toHaveLength(512);
  });
});

describe('courier mapping: generic', () => {
  const generic = settings({ courier: 'acme-courier', format: 'generic', tenant: 'GLOBEX_BANK' });
  const event = (overrides: Record<string, unknown> = {}) => ({ kitNo: '4240181595', status: 'DELIVERED', occurredAt: '2024-04-15T11:11:00+05:30', ...overrides });

  it('reads one event or a batch', () => {
    expect(events(mapCourierPayload(event(), generic, 500))).toHaveLength(1);
    expect(events(mapCourierPayload({ events: [event(), event({ status: 'BANK' })] }, generic, 500)).map((e) => e.data.status)).toEqual(['DELIVERED', 'BANK']);
  });

  it('gives one instant the same id however its offset is written', () => {
    const ist = events(mapCourierPayload(event(), generic, 500))[0]!.id;
    const utc = events(mapCourierPayload(event({ occurredAt: '2024-04-15T05:41:00Z' }), generic, 500))[0]!.id;
    expect(utc).toBe(ist);
  });

  it('lists each bad field, and refuses more events than allowed', () => {
    expect(mapCourierPayload({ events: [] }, generic, 500)).toEqual({ kind: 'invalid', issues: [{ path: 'events', message: 'at least one event is required' }] });
    const result = mapCourierPayload(event({ kitNo: 42, occurredAt: '2024-04-15 11:11' }), generic, 500);
    expect(result.kind === 'invalid' && result.issues.map((i) => i.path)).toEqual(['kitNo', 'occurredAt']);
    expect(mapCourierPayload({ events: [event(), event({ status: 'BANK' })] }, generic, 1)).toEqual({
      kind: 'invalid',
      issues: [{ path: '(root)', message: 'too many events: at most 1 per request, this one has 2' }],
    });
  });
});

describe('courier webhook content type', () => {
  it('accepts application/json with no charset or utf-8 only', () => {
    expect(['application/json', 'Application/JSON; charset=UTF-8', 'application/json;charset="utf-8"'].map(isJsonContentType)).toEqual([true, true, true]);
    expect([undefined, '', 'text/json', 'application/json-patch+json', 'application/json; charset=latin1'].map(isJsonContentType)).toEqual([false, false, false, false, false]);
  });
});
