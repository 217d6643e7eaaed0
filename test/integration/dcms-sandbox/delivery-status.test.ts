/** DCMS `POST /inventory/update/deliveryStatus` (docs/reference/dcms.md §3.3) on the sandbox. */
import { describe, expect, it } from 'vitest';
import { kitNotFoundItem } from '../../../sandbox/dcms/dcms-errors.js';
import { customer, TENANT, type Json } from './fixtures.js';
import { exceptionOf, kitsOf, sandbox, url, post, card, useDcmsSandbox } from './sandbox-setup.js';

useDcmsSandbox();

describe('DCMS sandbox: POST /inventory/update/deliveryStatus', () => {
  it('answers one result per kit inside an HTTP 200, MCC007 for unknown kits', async () => {
    await post('/register', customer('676765'));
    const kitA = kitsOf(await card('676765'))[0]!.kitNo as string;
    const kitB = kitsOf(await card('676765', '8642135', 'VIRTUAL'))[0]!.kitNo as string;
    const answer = await post('/inventory/update/deliveryStatus', [
      { deliveryStatus: 'DELIVERED', kitNo: [kitA, '234'] },
      { deliveryStatus: 'BANK', kitNo: [kitB] },
    ]);
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as { result: Json[] };
    expect(body).toEqual({ result: [{ kitNo: kitA, result: true, status: '200' }, kitNotFoundItem('234'), { kitNo: kitB, result: true, status: '200' }], exception: null, pagination: null });
    // The failed kit as docs/reference/dcms.md §1.2 and §3.3 describe it: no `result`, a status of "500" beside
    // httpStatus BAD_REQUEST, and the extra fields of a serialised Java exception.
    expect(body.result[1]).not.toHaveProperty('result');
    expect(body.result[1]).toMatchObject({ kitNo: '234', status: '500' });
    expect(body.result[1]!.exception).toMatchObject({
      errorCode: 'MCC007',
      httpStatus: 'BAD_REQUEST',
      fieldError: ['Invalid Kit No'],
      cause: null,
      localizedMessage: null,
      message: null,
      suppressed: [],
    });
    expect(sandbox.stats()).toMatchObject({ deliveryUpdates: 2, deliveryKitFailures: 1, tenants: { [TENANT]: { customers: 1, kits: 2 } } });
    expect(sandbox.holdings()).toEqual({ [TENANT]: { customers: 1, kits: 2, deliveryStatuses: 2 } });
  });

  it('keeps the status and its history per kit', async () => {
    await post('/register', customer('676765'));
    const kitNo = kitsOf(await card('676765'))[0]!.kitNo as string;
    await post('/inventory/update/deliveryStatus', [{ deliveryStatus: 'IN_TRANSIT', kitNo: [kitNo] }]);
    await post('/inventory/update/deliveryStatus', [{ deliveryStatus: 'DELIVERED', kitNo: [kitNo] }]);
    expect(sandbox.kit(TENANT, kitNo)).toMatchObject({
      deliveryStatus: 'DELIVERED',
      deliveryHistory: [{ status: 'IN_TRANSIT' }, { status: 'DELIVERED' }],
    });
    // DCMS's documented reads do not show a delivery status: only the admin API does.
    const view = await post('/viewCustomer', { entityId: '676765' });
    expect(kitsOf(view)[0]).not.toHaveProperty('deliveryStatus');
    const admin = await fetch(`${url}/__admin/tenants/${TENANT}/kits/${kitNo}`);
    expect(((await admin.json()) as Json).deliveryStatus).toBe('DELIVERED');
  });

  it('rejects a body that is not an array, or a malformed group', async () => {
    for (const body of [{ deliveryStatus: 'DELIVERED', kitNo: ['1'] }, [{ deliveryStatus: 'DELIVERED', kitNo: '1' }], [{ kitNo: ['1'] }]]) {
      const answer = await post('/inventory/update/deliveryStatus', body);
      expect(answer.status).toBe(400);
      expect(exceptionOf(answer).errorCode).toBe('invalid.input.request');
    }
  });
});
