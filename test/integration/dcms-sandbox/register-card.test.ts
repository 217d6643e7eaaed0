/** DCMS `POST /registerCard` (docs/reference/dcms.md §3.2) on the sandbox, the seed's samples field by field. */
import { describe, expect, it } from 'vitest';
import { customer, SEED_CARD, SEED_CUS001, SEED_CURL_BODY, TENANT, type Json } from './fixtures.js';
import { exceptionOf, resultOf, kitsOf, expectEnvelope, sandbox, url, post, card, useDcmsSandbox } from './sandbox-setup.js';

useDcmsSandbox();

describe('DCMS sandbox: POST /registerCard', () => {
  it("reproduces the seed's curl example field by field", async () => {
    await post('/register', customer('676765'));
    const answer = await post('/registerCard', undefined, { raw: SEED_CURL_BODY });
    expect(answer.status).toBe(200);
    expectEnvelope(answer);
    expect(answer.body.exception).toBeNull();
    expect(Object.keys(resultOf(answer))).toEqual(['entityId', 'kitInfo']);
    expect(resultOf(answer).entityId).toBe('676765');

    const kits = (JSON.parse(answer.text) as { result: { kitInfo: Json[] } }).result.kitInfo;
    expect(kits).toHaveLength(1);
    const kit = kits[0]!;
    expect(Object.keys(kit)).toEqual(Object.keys(SEED_CARD));
    for (const [field, sample] of Object.entries(SEED_CARD)) expect(typeof kit[field], field).toBe(typeof sample);
    expect(kit).toMatchObject({
      accountNo: 8642135,
      bin: '608040',
      cardCategory: 'DEBIT',
      cardStatus: 'INACTIVE',
      cardType: 'PHYSICAL',
      entityId: '676765',
      networkType: 'RUPAY',
      productId: '2003_PHYSICAL',
      productName: '2003_PHYSICAL',
    });
    expect(kit.cardNumber).toMatch(/^608040XXXXXX\d{4}$/);
    expect(kit.encryptedCardNumber).toMatch(/^[0-9a-f]{64}$/);
    expect(kit.kitNo).toMatch(/^\d{10}$/);

    const expDate = kit.expDate as string;
    expect(expDate).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000\+00:00$/);
    const expiry = new Date(expDate);
    expect(new Date(expiry.getTime() + 86_400_000).getUTCDate()).toBe(1); // last day of its month
    const yearsAhead = (expiry.getTime() - Date.now()) / (365.25 * 86_400_000);
    expect(yearsAhead).toBeGreaterThan(2.9);
    expect(yearsAhead).toBeLessThan(3.1);
  });

  it('answers CUS001 exactly as the seed shows it for an unknown customer', async () => {
    const answer = await post('/registerCard', undefined, { raw: SEED_CURL_BODY });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual(SEED_CUS001);
    expect(Object.keys(exceptionOf(answer))).toEqual(Object.keys(SEED_CUS001.exception));
  });
});

describe('DCMS sandbox: POST /registerCard kitInfo', () => {
  it('issues one kit per kitInfo entry with unique kit numbers', async () => {
    await post('/register', customer('676765'));
    const answer = await post('/registerCard', {
      entityId: '676765',
      kitInfo: [
        { accountNo: '8642135', cardType: 'PHYSICAL' },
        { accountNo: '999', cardType: 'VIRTUAL' },
      ],
    });
    const kits = kitsOf(answer);
    expect(kits.map((kit) => kit.productId)).toEqual(['2003_PHYSICAL', '2003_VIRTUAL']);
    expect(new Set(kits.map((kit) => kit.kitNo)).size).toBe(2);
    expect(sandbox.stats().duplicateCards).toBe(0);
  });

  it('takes productId from the linked account scheme code', async () => {
    await post('/register', customer('676765', { accountInfo: [{ accountNo: '555', schemeCode: '3001' }] }));
    const answer = await card('676765', '555', 'VIRTUAL');
    expect(kitsOf(answer)[0]).toMatchObject({ productId: '3001_VIRTUAL', productName: '3001_VIRTUAL' });
  });

  it('rejects an empty kitInfo and an unknown cardType', async () => {
    await post('/register', customer('676765'));
    const empty = await post('/registerCard', { entityId: '676765', kitInfo: [] });
    const badType = await post('/registerCard', { entityId: '676765', kitInfo: [{ accountNo: '8642135', cardType: 'PLASTIC' }] });
    for (const answer of [empty, badType]) {
      expect(answer.status).toBe(400);
      expect(exceptionOf(answer).errorCode).toBe('invalid.input.request');
    }
    expect(exceptionOf(empty).fieldError).toEqual(['kitInfo: must include at least one card']);
    expect(exceptionOf(badType).fieldError).toEqual(['kitInfo[0].cardType: must be one of PHYSICAL, VIRTUAL']);
  });

  it('counts a second card for the same account and card type as a duplicate', async () => {
    await post('/register', customer('676765'));
    await card('676765');
    await card('676765', '8642135', 'VIRTUAL');
    expect(sandbox.stats().duplicateCards).toBe(0);
    await card('676765');
    expect(sandbox.stats().duplicateCards).toBe(1);
    expect(sandbox.stats().tenants[TENANT]).toEqual({ customers: 1, kits: 3 });
  });
});

describe('DCMS sandbox: second cards', () => {
  it('counts a /registerCard card after the insta-card /register issued for the same account and type', async () => {
    await post('/register', customer('675676', { deliveryAddress: 'PERMANENT', kitInfo: [{ accountNo: '8642135', cardType: 'PHYSICAL' }] }));
    await card('675676', '8642135', 'VIRTUAL');
    await card('675676', '9000001', 'PHYSICAL');
    expect(sandbox.stats().duplicateCards).toBe(0);
    const second = kitsOf(await card('675676', '08642135', 'PHYSICAL'))[0]!.kitNo as string; // leading zero: the same account
    expect(sandbox.stats().duplicateCards).toBe(1);
    const twice = sandbox.cardsIssuedTwice();
    expect(twice).toEqual([{ tenant: TENANT, entityId: '675676', accountNo: '8642135', cardType: 'PHYSICAL', kitNos: [expect.any(String), second] }]);
    const admin = (await (await fetch(`${url}/__admin/kits`)).json()) as { kits: Json[]; cardsIssuedTwice: Json[] };
    expect(admin.cardsIssuedTwice).toEqual(twice);
  });
});
