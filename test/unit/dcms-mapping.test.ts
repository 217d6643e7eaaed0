import { describe, expect, it } from 'vitest';
import { accountOpenedData, customerCreatedData } from '../../shared/contracts/index.js';
import { fromException, fromStatus, fromTransport, parseRetryAfter } from '../../shared/dcms/classify.js';
import { parseDcmsJson, stringifyDcmsJson } from '../../shared/dcms/json-codec.js';
import { toDeliveryStatusRequest, toRegisterCard, toRegisterCustomer } from '../../shared/dcms/mapping.js';
import { customerCreated } from '../support/events.js';

const ACME = { tenant: 'ACME_BANK', business: 'ACME_BANK', businessId: '687', businessType: 'ACME_BANK', rateLimit: { perSecond: 100, burst: 200 }, verifyBeforeFirstIssue: true };

describe('event → DCMS request mapping', () => {
  it('maps a customer to the /register shape of the reference example, tenant settings from configuration', () => {
    const data = customerCreatedData.parse({ ...customerCreated('675676').data, card: { accountNo: '8642135', cardType: 'VIRTUAL', deliveryAddress: 'PERMANENT' } });
    const request = toRegisterCustomer(data, ACME);
    expect(request).toMatchObject({
      entityId: '675676',
      entityType: 'CUSTOMER',
      business: 'ACME_BANK',
      businessId: '687',
      businessType: 'ACME_BANK',
      title: 'Miss',
      middleName: '',
      gender: 'FEMALE',
      dob: '1978-06-01',
      referralEntityId: null,
      deliveryAddress: 'PERMANENT',
      addressInfo: [{ address1: 'Olympia Quest, Plot C1', addressCategory: 'PERMANENT', city: 'CHENNAI', district: null, isoCountryCode: null, pincode: '600032' }],
      communicationInfo: [{ contactNo: '9876543210', emailId: 'aadhu@example.com', notification: true }],
      accountInfo: [{ accountNo: '8642135', accountType: 'SAVING', accountsCurrency: 'INR', defaultAccount: true, isPrimary: true, schemeCode: '2003', accountStatus: 'ACTIVE' }],
      kitInfo: [{ accountNo: '8642135', cardType: 'VIRTUAL' }],
    });
    expect(JSON.parse(stringifyDcmsJson(request)).accountInfo[0].accountNo).toBe(8642135);
  });

  it('sends no kitInfo nor deliveryAddress for a customer without insta-card', () => {
    const request = toRegisterCustomer(customerCreatedData.parse(customerCreated('1').data), ACME);
    expect(request).not.toHaveProperty('kitInfo');
    expect(request).not.toHaveProperty('deliveryAddress');
  });

  it('maps an account to the seed /registerCard body', () => {
    const request = toRegisterCard(accountOpenedData.parse({ entityId: '676765', accountNo: '8642135', cardType: 'PHYSICAL', deliveryAddress: 'PERMANENT' }));
    expect(stringifyDcmsJson(request)).toBe('{"entityId":"676765","deliveryAddress":"PERMANENT","kitInfo":[{"accountNo":8642135,"cardType":"PHYSICAL"}]}');
  });

  it('builds one deliveryStatus group with each kit once', () => {
    expect(toDeliveryStatusRequest('DELIVERED', ['1', '2', '1'])).toEqual([{ deliveryStatus: 'DELIVERED', kitNo: ['1', '2'] }]);
  });
});

describe('DCMS JSON codec', () => {
  it('round-trips account numbers beyond 2^53 exactly', () => {
    const text = stringifyDcmsJson({ accountInfo: [{ accountNo: '55555555555556782' }] });
    expect(text).toBe('{"accountInfo":[{"accountNo":55555555555556782}]}');
    expect(parseDcmsJson(text)).toEqual({ accountInfo: [{ accountNo: '55555555555556782' }] });
  });
});

describe('DCMS error classification', () => {
  const cus001 = { errorCode: 'CUS001', shortMessage: 'Customer not found', detailMessage: 'No customer found for the given entity ID' };

  it('makes CUS001 on a card retry-later, and permanent elsewhere', () => {
    expect(fromException('registerCard', cus001, 400)).toMatchObject({ category: 'DependencyNotReady', code: 'CUS001' });
    expect(fromException('register', cus001, 400)).toMatchObject({ category: 'Permanent' });
    expect(fromException('registerCard', { errorCode: 'entity.not.found' }, 400)).toMatchObject({ category: 'DependencyNotReady' });
  });

  it('treats business errors inside an HTTP 200 as permanent, and lets 429/5xx decide over an envelope', () => {
    expect(fromException('deliveryStatus', { errorCode: 'MCC007' }, 200)).toMatchObject({ category: 'Permanent', code: 'MCC007' });
    expect(fromException('viewCustomer', { errorCode: 'rate.limit.exceeded' }, 429, 2)).toMatchObject({ category: 'Transient', retryAfterSeconds: 2 });
    expect(fromException('registerCard', { errorCode: 'internal.error' }, 500)).toMatchObject({ category: 'UnknownOutcome' });
    expect(fromException('deliveryStatus', { errorCode: 'internal.error' }, 503)).toMatchObject({ category: 'Transient' });
  });

  it('takes the message from detailMessage, errorMessage or shortMessage', () => {
    expect(fromException('register', { errorCode: 'x', errorMessage: 'guide style' }, 400).message).toContain('guide style');
  });

  it('separates writes (unknown outcome) from reads (transient) on timeouts and 5xx', () => {
    const timeout = Object.assign(new Error('t'), { name: 'TimeoutError' });
    expect(fromTransport('register', timeout)).toMatchObject({ category: 'UnknownOutcome', code: 'TIMEOUT' });
    expect(fromTransport('viewCustomer', new TypeError('fetch failed'))).toMatchObject({ category: 'Transient', code: 'NETWORK' });
    expect(fromStatus('registerCard', 502)).toMatchObject({ category: 'UnknownOutcome' });
    expect(fromStatus('viewCustomer', 502)).toMatchObject({ category: 'Transient' });
    expect(fromStatus('register', 403)).toMatchObject({ category: 'Permanent', code: 'HTTP_403' });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3);
    expect(parseRetryAfter(new Date(Date.UTC(2026, 0, 1, 0, 0, 5)).toUTCString(), Date.UTC(2026, 0, 1))).toBe(5);
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
