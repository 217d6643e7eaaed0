/** DCMS `POST /kit-manager/fetchKitsByEntityId` (docs/reference/dcms.md §3.4a) on the sandbox. */
import { describe, expect, it } from 'vitest';
import { customer, SEED_CUS001, TENANT, type Json } from './fixtures.js';
import { exceptionOf, kitsOf, expectEnvelope, sandbox, post, card, useDcmsSandbox, type CallOptions } from './sandbox-setup.js';

useDcmsSandbox();

describe('DCMS sandbox: POST /kit-manager/fetchKitsByEntityId', () => {
  const fetchKits = (entityId: string, options?: CallOptions) => post('/kit-manager/fetchKitsByEntityId', { entityId }, options);

  it('lists every kit of the customer as a bare array, each with accountNo as a string', async () => {
    await post('/register', customer('675676', { deliveryAddress: 'PERMANENT', kitInfo: [{ accountNo: '8642135', cardType: 'PHYSICAL' }] }));
    await card('675676', '9000001', 'PHYSICAL');
    const answer = await fetchKits('675676');
    expect(answer.status).toBe(200);
    expectEnvelope(answer);
    expect(answer.body.exception).toBeNull();
    const kits = (JSON.parse(answer.text) as { result: Json[] }).result;
    expect(Array.isArray(kits)).toBe(true);
    expect(kits.map((kit) => [kit.accountNo, kit.cardType])).toEqual([
      ['8642135', 'PHYSICAL'],
      ['9000001', 'PHYSICAL'],
    ]);
    expect(answer.text).toContain('"accountNo":"8642135"');
    expect(Object.keys(kits[0]!)).toEqual([
      'accountNo',
      'kitNo',
      'cardType',
      'cardStatus',
      'entityId',
      'bin',
      'cardCategory',
      'cardNumber',
      'encryptedCardNumber',
      'networkType',
      'productId',
      'productName',
      'expDate',
      'tierType',
      'createdDate',
      'changedDate',
      'cardActivationDate',
    ]);
    expect(kits[0]).toMatchObject({ cardStatus: 'INACTIVE', entityId: '675676', cardActivationDate: null });
    expect(kits[0]!.cardNumber).toMatch(/^608040XXXXXX\d{4}$/);
    expect(kits[0]!.createdDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/);
  });

  it('keeps listing a kit in any card status, REPLACED included', async () => {
    await post('/register', customer('675676'));
    const kitNo = kitsOf(await card('675676'))[0]!.kitNo as string;
    expect(sandbox.setCardStatus(TENANT, kitNo, 'REPLACED')).toBe(true);
    const kits = (await fetchKits('675676')).body.result as Json[];
    expect(kits).toEqual([expect.objectContaining({ kitNo, accountNo: '8642135', cardStatus: 'REPLACED' })]);
  });

  it('answers an empty array for a customer without cards, CUS001 for an unknown one, and checks the body', async () => {
    await post('/register', customer('675676'));
    expect((await fetchKits('675676')).body).toEqual({ result: [], exception: null, pagination: null });
    const unknown = await fetchKits('nobody');
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text)).toEqual(SEED_CUS001);
    const invalid = await post('/kit-manager/fetchKitsByEntityId', { entityId: '' });
    expect(exceptionOf(invalid)).toMatchObject({ errorCode: 'invalid.input.request', fieldError: ['entityId: must not be empty'] });
    expect(exceptionOf(await fetchKits('675676', { tenant: 'OTHER_BANK' })).errorCode).toBe('CUS001');
  });
});
