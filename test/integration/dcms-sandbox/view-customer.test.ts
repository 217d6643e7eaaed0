/** DCMS `POST /viewCustomer` (docs/reference/dcms.md §3.4) on the sandbox. */
import { describe, expect, it } from 'vitest';
import { customer, VIEW_CUSTOMER_SAMPLE_KIT, SEED_CUS001, TENANT, type Json } from './fixtures.js';
import { resultOf, kitsOf, expectEnvelope, post, card, useDcmsSandbox } from './sandbox-setup.js';

useDcmsSandbox();

describe('DCMS sandbox: POST /viewCustomer', () => {
  it('returns the full profile, kits as the reference sample lists them: no accountNo', async () => {
    await post('/register', customer('675676'));
    const kitNo = kitsOf(await card('675676', '8642135', 'VIRTUAL'))[0]!.kitNo;
    const answer = await post('/viewCustomer', { entityId: '675676' });
    expect(answer.status).toBe(200);
    expectEnvelope(answer);
    const result = resultOf(answer);
    expect(result).toMatchObject({
      entityId: '675676',
      entityType: 'CUSTOMER',
      firstName: 'Aadhu',
      middleName: '',
      lastName: 'Chandran',
      title: 'Miss',
      gender: 'FEMALE',
      dob: '1978-06-01',
      business: TENANT,
      businessId: '687',
      businessType: TENANT,
      accountInfo: [{ accountNo: '8642135', accountsCurrency: 'INR', schemeCode: '2003' }],
      addressInfo: [{ addressCategory: 'PERMANENT', city: 'CHENNAI', district: null, isoCountryCode: null }],
      communicationInfo: [{ appId: null, contactNo: '9876543210', emailId: 'aadhu@example.com', notification: true }],
    });
    const [kit] = result.kitInfo as Json[];
    expect(kit).toMatchObject({ kitNo, cardType: 'VIRTUAL', cardStatus: 'INACTIVE', entityId: '675676', productId: '2003_VIRTUAL' });
    // The docs/reference/dcms.md §3.4 sample's kit fields, exactly: neither accountNo nor encryptedCardNumber nor a delivery status.
    expect(Object.keys(kit!).sort()).toEqual(Object.keys(VIEW_CUSTOMER_SAMPLE_KIT).sort());
    expect(answer.text).toContain('"accountNo":8642135'); // accountInfo keeps the number
    expect(answer.text.match(/"accountNo"/g)).toHaveLength(1);
  });

  it('answers CUS001 for an unknown customer', async () => {
    const answer = await post('/viewCustomer', { entityId: 'nobody' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual(SEED_CUS001);
  });
});
