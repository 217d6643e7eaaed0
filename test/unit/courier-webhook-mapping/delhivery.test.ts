import { describe, expect, it } from 'vitest';
import { readCourierPayload } from '../../../functions/courier-webhook/mapping/index.js';
import { events, OPTIONS, scans, settings } from './fixtures.js';

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
