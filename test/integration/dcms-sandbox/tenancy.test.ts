/** The sandbox's tenant header and the isolation of tenants. */
import { describe, expect, it } from 'vitest';
import { DCMS_ENDPOINTS } from '../../../sandbox/dcms/server.js';
import { customer, TENANT, type Json } from './fixtures.js';
import { exceptionOf, kitsOf, expectEnvelope, sandbox, post, card, useDcmsSandbox } from './sandbox-setup.js';

useDcmsSandbox();

describe('DCMS sandbox: tenancy', () => {
  it('requires the tenant header on every DCMS call', async () => {
    for (const path of DCMS_ENDPOINTS) {
      const answer = await post(path, {}, { tenant: null });
      expect(answer.status, path).toBe(400);
      expectEnvelope(answer);
      expect(exceptionOf(answer)).toMatchObject({ errorCode: 'tenant.header.missing', httpStatus: 'BAD_REQUEST' });
    }
    expect((await post('/viewCustomer', { entityId: 'x' }, { tenant: '  ' })).status).toBe(400);
  });

  it('reads the header case-insensitively', async () => {
    const answer = await post('/register', customer('675676'), { tenant: null, headers: { TENANT } });
    expect(answer.status).toBe(200);
    expect(sandbox.stats().tenants[TENANT]?.customers).toBe(1);
  });

  it('isolates tenants completely', async () => {
    await post('/register', customer('676765'));
    const kitNo = kitsOf(await card('676765'))[0]!.kitNo as string;
    const other = { tenant: 'OTHER_BANK' };

    expect(exceptionOf(await post('/viewCustomer', { entityId: '676765' }, other)).errorCode).toBe('CUS001');
    expect(exceptionOf(await post('/registerCard', { entityId: '676765', kitInfo: [{ accountNo: '1', cardType: 'VIRTUAL' }] }, other)).errorCode).toBe('CUS001');
    const delivery = await post('/inventory/update/deliveryStatus', [{ deliveryStatus: 'DELIVERED', kitNo: [kitNo] }], other);
    expect(((delivery.body.result as Json[])[0]!.exception as Json).errorCode).toBe('MCC007');
    expect((await post('/register', customer('676765'), other)).status).toBe(200);

    expect(sandbox.stats().tenants).toEqual({ [TENANT]: { customers: 1, kits: 1 }, OTHER_BANK: { customers: 1, kits: 0 } });
    expect(sandbox.kit(TENANT, kitNo)?.deliveryStatus).toBeNull();
  });
});
