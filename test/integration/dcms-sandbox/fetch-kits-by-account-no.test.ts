/** DCMS `POST /kit-manager/fetchKitsByAccountNo` (docs/reference/dcms.md §3.4b) on the sandbox. */
import { describe, expect, it } from 'vitest';
import { customer, TENANT, type Json } from './fixtures.js';
import { exceptionOf, kitsOf, expectEnvelope, sandbox, post, card, useDcmsSandbox, type CallOptions } from './sandbox-setup.js';

useDcmsSandbox();

const byAccount = (accountNo: unknown, query = '?isAllCardsRequired=true', options?: CallOptions) => post(`/kit-manager/fetchKitsByAccountNo${query}`, { accountNo }, options);

describe('DCMS sandbox: POST /kit-manager/fetchKitsByAccountNo', () => {
  it('answers one object for the account: its holders, each with its kits (no accountNo on them)', async () => {
    await post('/register', customer('675676', { deliveryAddress: 'PERMANENT', kitInfo: [{ accountNo: '8642135', cardType: 'PHYSICAL' }] }));
    await card('675676', '8642135', 'VIRTUAL');
    await card('675676', '9000001', 'PHYSICAL');
    const answer = await byAccount('8642135');
    expect(answer.status).toBe(200);
    expectEnvelope(answer);
    const result = (JSON.parse(answer.text) as { result: Json }).result;
    expect(Object.keys(result)).toEqual(['accountNo', 'accountStatus', 'accountType', 'entity']);
    expect(result).toMatchObject({ accountNo: '8642135', accountStatus: 'ACTIVE', accountType: 'SAVING' });
    const entities = result.entity as Json[];
    expect(entities).toHaveLength(1);
    expect(entities[0]).toMatchObject({ entityId: '675676', isPrimary: false });
    const kits = entities[0]!.kitInfo as Json[];
    expect(kits.map((kit) => kit.cardType)).toEqual(['PHYSICAL', 'VIRTUAL']);
    for (const kit of kits) expect(kit).not.toHaveProperty('accountNo');
    // The request's accountNo may be a number, as in the reference's sample.
    expect((await post('/kit-manager/fetchKitsByAccountNo?isAllCardsRequired=true', undefined, { raw: '{"accountNo":8642135}' })).body.result).toEqual(result);
  });

  it('lists only ACTIVE cards unless isAllCardsRequired=true', async () => {
    await post('/register', customer('675676'));
    const inactive = kitsOf(await card('675676'))[0]!.kitNo as string;
    const replaced = kitsOf(await card('675676'))[0]!.kitNo as string;
    const active = kitsOf(await card('675676', '8642135', 'VIRTUAL'))[0]!.kitNo as string;
    sandbox.setCardStatus(TENANT, replaced, 'REPLACED');
    sandbox.setCardStatus(TENANT, active, 'ACTIVE');
    const kitNos = async (query: string) => (((await byAccount('8642135', query)).body.result as Json).entity as Json[])[0]!.kitInfo as Json[];
    expect((await kitNos('')).map((kit) => kit.kitNo)).toEqual([active]);
    expect((await kitNos('?isAllCardsRequired=false')).map((kit) => kit.kitNo)).toEqual([active]);
    expect((await kitNos('?isAllCardsRequired=TRUE')).map((kit) => [kit.kitNo, kit.cardStatus])).toEqual([
      [inactive, 'INACTIVE'],
      [replaced, 'REPLACED'],
      [active, 'ACTIVE'],
    ]);
    expect((await kitNos('?isAllCardsRequired=true')).find((kit) => kit.kitNo === active)?.cardActivationDate).toEqual(expect.any(String));
  });

  it('finds an account known only from its kits, and answers account.not.found for one DCMS has never seen', async () => {
    await post('/register', customer('675676'));
    const unknown = await byAccount('9000001');
    expect(unknown.status).toBe(400);
    expect(exceptionOf(unknown)).toMatchObject({ errorCode: 'account.not.found', httpStatus: 'BAD_REQUEST', fieldError: ['Invalid accountNo'] });
    await card('675676', '9000001', 'PHYSICAL');
    const found = (await byAccount('9000001')).body.result as Json;
    expect(found).toMatchObject({ accountNo: '9000001', accountStatus: null, accountType: null, entity: [{ entityId: '675676', isPrimary: false }] });
    expect(exceptionOf(await byAccount('9000001', '', { tenant: 'OTHER_BANK' })).errorCode).toBe('account.not.found');
  });

  it('validates the body and the query with the sandbox schemas', async () => {
    const bad = await byAccount('12ab', '?isAllCardsRequired=maybe');
    expect(bad.status).toBe(400);
    expect(exceptionOf(bad)).toMatchObject({
      errorCode: 'invalid.input.request',
      fieldError: ['accountNo: must be a positive whole number of at most 19 digits', 'isAllCardsRequired: must be true or false'],
    });
  });
});
