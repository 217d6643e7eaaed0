import { describe, expect, it } from 'vitest';
import { readCourierPayload } from '../../../functions/courier-webhook/mapping/index.js';
import { events, OPTIONS, scans, settings } from './fixtures.js';

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
