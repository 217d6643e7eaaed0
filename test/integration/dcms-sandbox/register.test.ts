/** DCMS `POST /register` (docs/reference/dcms.md §3.1) on the sandbox. */
import { describe, expect, it } from 'vitest';
import { customer, SEED_CARD, TENANT } from './fixtures.js';
import { exceptionOf, kitsOf, expectEnvelope, sandbox, post, useDcmsSandbox } from './sandbox-setup.js';

useDcmsSandbox();

describe('DCMS sandbox: POST /register', () => {
  it('registers a customer without cards', async () => {
    const answer = await post('/register', customer('675676'));
    expect(answer.status).toBe(200);
    expectEnvelope(answer);
    expect(answer.body).toEqual({ result: { entityId: '675676', kitInfo: [] }, exception: null, pagination: null });
    expect(sandbox.stats().tenants).toEqual({ [TENANT]: { customers: 1, kits: 0 } });
  });

  it('issues an insta-card when kitInfo is present', async () => {
    const answer = await post('/register', customer('675676', { deliveryAddress: 'PERMANENT', kitInfo: [{ accountNo: '8642135', cardType: 'VIRTUAL' }] }));
    expect(answer.status).toBe(200);
    const [kit] = kitsOf(answer);
    expect(kit).toMatchObject({ accountNo: '8642135', cardType: 'VIRTUAL', entityId: '675676', productId: '2003_VIRTUAL' });
    expect(Object.keys(kit!)).toEqual(Object.keys(SEED_CARD));
  });

  it('uses a pre-allocated insta kit number, and refuses one already assigned', async () => {
    const insta = { deliveryAddress: 'PERMANENT', kitInfo: [{ accountNo: '8642135', cardType: 'PHYSICAL', kitNo: '1000000001' }] };
    const first = await post('/register', customer('1', insta));
    expect(kitsOf(first)[0]?.kitNo).toBe('1000000001');
    const second = await post('/register', customer('2', insta));
    expect(second.status).toBe(400);
    expect(exceptionOf(second).errorCode).toBe('invalid.kit.info');
    expect(sandbox.stats().tenants[TENANT]).toEqual({ customers: 1, kits: 1 });
  });
});

describe('DCMS sandbox: POST /register refusals', () => {
  it('lists every invalid field in one invalid.input.request', async () => {
    const answer = await post(
      '/register',
      customer('675676', {
        entityType: 'BUSINESS',
        firstName: '',
        gender: 'F',
        dob: '1978-02-30',
        addressInfo: [{ addressCategory: 'COMMUNICATION', city: 'CHENNAI' }],
        communicationInfo: [{ emailId: 'a@example.com' }],
        kycInfo: [],
        accountInfo: [],
        kitInfo: [{ accountNo: '8642135', cardType: 'PHYSICAL' }],
      }),
    );
    expect(answer.status).toBe(400);
    expectEnvelope(answer);
    expect(answer.body.result).toBeNull();
    const exception = exceptionOf(answer);
    expect(exception).toMatchObject({ errorCode: 'invalid.input.request', httpStatus: 'BAD_REQUEST', languageCode: 'en' });
    const fields = (exception.fieldError as string[]).map((entry) => entry.split(':')[0]);
    expect(fields.sort()).toEqual(['accountInfo', 'addressInfo', 'communicationInfo', 'deliveryAddress', 'dob', 'entityType', 'firstName', 'gender', 'kycInfo'].sort());
    expect(sandbox.stats().tenants).toEqual({});
  });

  it('rejects a body that is not an object, and malformed JSON, the same way', async () => {
    for (const raw of ['[1,2]', '{"entityId":']) {
      const answer = await post('/register', undefined, { raw });
      expect(answer.status).toBe(400);
      expect(exceptionOf(answer).errorCode).toBe('invalid.input.request');
    }
  });

  it('answers entity.already.exists for a duplicate entityId', async () => {
    await post('/register', customer('675676'));
    const answer = await post('/register', customer('675676'));
    expect(answer.status).toBe(400);
    expect(answer.body.result).toBeNull();
    expect(exceptionOf(answer)).toMatchObject({ errorCode: 'entity.already.exists', httpStatus: 'BAD_REQUEST', languageCode: 'en' });
    expect(sandbox.stats().calls['/register']).toEqual({ '200': 1, '400:entity.already.exists': 1 });
  });
});
