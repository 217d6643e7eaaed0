import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseDcmsJson, stringifyDcmsJson } from '../../shared/dcms/json-codec.js';
import {
  DCMS_ENDPOINTS,
  dcmsSandboxStatsSchema,
  startDcmsSandbox,
  type DcmsSandboxOptions,
  type RunningDcmsSandbox,
} from '../../sandbox/dcms/server.js';

/**
 * The DCMS sandbox over real HTTP, checked against the reference (docs/reference/dcms.md)
 * and the seed's samples, field by field.
 */

const TENANT = 'ACME_BANK';
type Json = Record<string, unknown>;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Json;
}

interface CallOptions {
  tenant?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Sent as is instead of being serialised. */
  raw?: string;
}

async function call(baseUrl: string, path: string, body: unknown, options: CallOptions = {}): Promise<Answer> {
  const tenant = options.tenant === undefined ? TENANT : options.tenant;
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(tenant === null ? {} : { tenant }), ...options.headers },
    body: options.raw ?? stringifyDcmsJson(body),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: parseDcmsJson(text) as Json };
}

/** A /register body with every required field (docs/reference/dcms.md §3.1 example). Account numbers as digit strings. */
function customer(entityId: string, extra: Json = {}): Json {
  return {
    entityId,
    entityType: 'CUSTOMER',
    businessType: TENANT,
    business: TENANT,
    businessId: '687',
    title: 'Miss',
    firstName: 'Aadhu',
    middleName: '',
    lastName: 'Chandran',
    gender: 'FEMALE',
    dob: '1978-06-01',
    referralEntityId: null,
    addressInfo: [
      {
        address1: 'M2P Solutions Pvt Ltd',
        addressCategory: 'PERMANENT',
        city: 'CHENNAI',
        state: 'TAMILNADU',
        country: 'INDIA',
        district: null,
        isoCountryCode: null,
        pincode: '600032',
      },
    ],
    communicationInfo: [{ contactNo: '9876543210', emailId: 'aadhu@example.com', notification: true }],
    kycInfo: [{ documentType: 'PAN', documentNo: 'ABCDE1234F' }],
    accountInfo: [
      {
        accountNo: '8642135',
        accountStatus: 'ACTIVE',
        accountType: 'SAVING',
        accountsCurrency: 'INR',
        defaultAccount: true,
        initialFunding: '8000',
        isPrimary: false,
        schemeCode: '2003',
      },
    ],
    ...extra,
  };
}

/** The seed's registerCard success sample, verbatim. */
const SEED_CARD = {
  accountNo: 8642135,
  bin: '608040',
  cardCategory: 'DEBIT',
  cardNumber: '608040XXXXXX6384',
  cardStatus: 'INACTIVE',
  cardType: 'PHYSICAL',
  encryptedCardNumber: '44a938afd8c4c062ded334e77d5c5e6275dc6e1422d2d2af370f3a99dfbe7482',
  entityId: '676765',
  expDate: '2029-07-31T00:00:00.000+00:00',
  kitNo: '4240181595',
  networkType: 'RUPAY',
  productId: '2003_PHYSICAL',
  productName: '2003_PHYSICAL',
};

/** The kit of the reference's viewCustomer sample (docs/reference/dcms.md §3.4), verbatim. */
const VIEW_CUSTOMER_SAMPLE_KIT = {
  bin: '608040',
  cardCategory: 'DEBIT',
  cardNumber: '608040XXXXXX6857',
  cardStatus: 'INACTIVE',
  cardType: 'VIRTUAL',
  entityId: '675676',
  expDate: '2029-07-31T00:00:00.000+00:00',
  kitNo: '4240171642',
  networkType: 'RUPAY',
  productId: '2003_VIRTUAL',
  productName: '2003_VIRTUAL',
};

/** The seed's error sample, verbatim. */
const SEED_CUS001 = {
  result: null,
  exception: {
    errorCode: 'CUS001',
    shortMessage: 'Customer not found',
    detailMessage: 'No customer found for the given entity ID',
    httpStatus: 'BAD_REQUEST',
    fieldError: ['Invalid entityId'],
    languageCode: 'en',
  },
  pagination: null,
};

const SEED_CURL_BODY = '{ "entityId": "676765", "deliveryAddress": "PERMANENT", "kitInfo": [ { "accountNo": 8642135, "cardType": "PHYSICAL" } ] }';

const exceptionOf = (answer: Answer) => answer.body.exception as Json;
const resultOf = (answer: Answer) => answer.body.result as Json;
const kitsOf = (answer: Answer) => resultOf(answer).kitInfo as Json[];

function expectEnvelope(answer: Answer): void {
  expect(Object.keys(answer.body).sort()).toEqual(['exception', 'pagination', 'result']);
  expect(answer.body.pagination).toBeNull();
}

const withSandbox = async <T>(options: DcmsSandboxOptions, use: (sandbox: RunningDcmsSandbox) => Promise<T>): Promise<T> => {
  const sandbox = await startDcmsSandbox({ port: 0, ...options });
  try {
    return await use(sandbox);
  } finally {
    await sandbox.close();
  }
};

describe('DCMS sandbox', () => {
  let sandbox: RunningDcmsSandbox;
  let url: string;
  const post = (path: string, body: unknown, options?: CallOptions) => call(url, path, body, options);
  const card = (entityId: string, accountNo = '8642135', cardType = 'PHYSICAL') =>
    post('/registerCard', { entityId, deliveryAddress: 'PERMANENT', kitInfo: [{ accountNo, cardType }] });

  beforeAll(async () => {
    sandbox = await startDcmsSandbox({ port: 0 });
    url = sandbox.url;
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  describe('POST /register', () => {
    it('registers a customer without cards', async () => {
      const answer = await post('/register', customer('675676'));
      expect(answer.status).toBe(200);
      expectEnvelope(answer);
      expect(answer.body).toEqual({ result: { entityId: '675676', kitInfo: [] }, exception: null, pagination: null });
      expect(sandbox.stats().tenants).toEqual({ [TENANT]: { customers: 1, kits: 0 } });
    });

    it('issues an insta-card when kitInfo is present', async () => {
      const answer = await post(
        '/register',
        customer('675676', { deliveryAddress: 'PERMANENT', kitInfo: [{ accountNo: '8642135', cardType: 'VIRTUAL' }] }),
      );
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
      expect(fields.sort()).toEqual(
        ['accountInfo', 'addressInfo', 'communicationInfo', 'deliveryAddress', 'dob', 'entityType', 'firstName', 'gender', 'kycInfo'].sort(),
      );
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

  describe('POST /registerCard', () => {
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

  describe('POST /inventory/update/deliveryStatus', () => {
    it('answers one result per kit inside an HTTP 200, MCC007 for unknown kits', async () => {
      await post('/register', customer('676765'));
      const kitA = kitsOf(await card('676765'))[0]!.kitNo as string;
      const kitB = kitsOf(await card('676765', '8642135', 'VIRTUAL'))[0]!.kitNo as string;
      const answer = await post('/inventory/update/deliveryStatus', [
        { deliveryStatus: 'DELIVERED', kitNo: [kitA, '234'] },
        { deliveryStatus: 'BANK', kitNo: [kitB] },
      ]);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({
        result: [
          { kitNo: kitA, result: true, status: '200' },
          {
            kitNo: '234',
            status: '500',
            exception: {
              errorCode: 'MCC007',
              shortMessage: 'valid kit not found',
              detailMessage: 'valid kit not found',
              httpStatus: 'BAD_REQUEST',
              fieldError: ['Invalid Kit No'],
              cause: null,
              languageCode: 'en',
              localizedMessage: null,
              message: null,
              suppressed: [],
            },
          },
          { kitNo: kitB, result: true, status: '200' },
        ],
        exception: null,
        pagination: null,
      });
      expect(sandbox.stats()).toMatchObject({ deliveryUpdates: 2, deliveryKitFailures: 1 });
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

  describe('POST /viewCustomer', () => {
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

  describe('POST /kit-manager/fetchKitsByEntityId', () => {
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
        'accountNo', 'kitNo', 'cardType', 'cardStatus', 'entityId', 'bin', 'cardCategory', 'cardNumber', 'encryptedCardNumber',
        'networkType', 'productId', 'productName', 'expDate', 'tierType', 'createdDate', 'changedDate', 'cardActivationDate',
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

  describe('POST /kit-manager/fetchKitsByAccountNo', () => {
    const byAccount = (accountNo: unknown, query = '?isAllCardsRequired=true', options?: CallOptions) =>
      post(`/kit-manager/fetchKitsByAccountNo${query}`, { accountNo }, options);

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

  describe('second cards', () => {
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

  describe('tenancy', () => {
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

  it('keeps a 17-digit accountNo exact, in both directions', async () => {
    const accountNo = '55555555555556782';
    expect(Number(accountNo).toString()).not.toBe(accountNo); // a float would corrupt it
    await post('/register', customer('676765', { accountInfo: [{ accountNo, schemeCode: '2003' }] }));
    const raw = `{"entityId":"676765","kitInfo":[{"accountNo":${accountNo},"cardType":"PHYSICAL"}]}`;
    const issued = await post('/registerCard', undefined, { raw });
    expect(issued.text).toContain(`"accountNo":${accountNo},`);
    expect(kitsOf(issued)[0]?.accountNo).toBe(accountNo);
    const view = await post('/viewCustomer', { entityId: '676765' });
    expect(view.text.match(new RegExp(`"accountNo":${accountNo}[,}]`, 'g'))).toHaveLength(1);
    const kits = await post('/kit-manager/fetchKitsByEntityId', { entityId: '676765' });
    expect(kits.text).toContain(`"accountNo":"${accountNo}"`);
  });

  describe('rate limit', () => {
    it('answers 429 with Retry-After once the tenant bucket is empty', async () => {
      await withSandbox({ rateLimit: { perSecond: 0.2, burst: 3 } }, async (limited) => {
        const statuses: number[] = [];
        let last: Answer | undefined;
        for (let i = 0; i < 4; i += 1) {
          last = await call(limited.url, '/viewCustomer', { entityId: 'x' });
          statuses.push(last.status);
        }
        expect(statuses).toEqual([400, 400, 400, 429]);
        const retryAfter = Number(last!.headers.get('retry-after'));
        expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
        expectEnvelope(last!);
        expect(exceptionOf(last!)).toMatchObject({ errorCode: 'rate.limit.exceeded', httpStatus: 'TOO_MANY_REQUESTS' });

        expect((await call(limited.url, '/viewCustomer', { entityId: 'x' }, { tenant: 'OTHER_BANK' })).status).toBe(400);
        expect((await fetch(`${limited.url}/__admin/stats`)).status).toBe(200);
        expect(limited.stats().calls['/viewCustomer']).toMatchObject({ '429:rate.limit.exceeded': 1 });
      });
    });
  });

  describe('scripted faults', () => {
    beforeEach(async () => {
      await post('/register', customer('676765'));
    });

    it('error: HTTP 500, nothing applied', async () => {
      sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault: 'error', times: 2 }] });
      for (let i = 0; i < 2; i += 1) {
        const answer = await card('676765');
        expect(answer.status).toBe(500);
        expectEnvelope(answer);
        expect(exceptionOf(answer)).toMatchObject({ errorCode: 'internal.server.error', httpStatus: 'INTERNAL_SERVER_ERROR' });
      }
      expect(sandbox.stats().tenants[TENANT]?.kits).toBe(0);
      expect((await card('676765')).status).toBe(200);
      expect(sandbox.stats().calls['/registerCard']).toEqual({ 'fault:error': 2, '200': 1 });
    });

    it('only hits the scripted endpoint', async () => {
      sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault: 'error', times: 1 }] });
      expect((await post('/viewCustomer', { entityId: '676765' })).status).toBe(200);
      expect((await card('676765')).status).toBe(500);
    });

    it('throttle: HTTP 429 with Retry-After, nothing applied', async () => {
      sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault: 'throttle', times: 1 }] });
      const answer = await card('676765');
      expect(answer.status).toBe(429);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(exceptionOf(answer).errorCode).toBe('rate.limit.exceeded');
      expect(sandbox.stats().tenants[TENANT]?.kits).toBe(0);
    });

    it('hang: never answers, the client times out, nothing applied', async () => {
      sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault: 'hang', times: 1 }] });
      const started = Date.now();
      await expect(
        post('/registerCard', { entityId: '676765', kitInfo: [{ accountNo: '1', cardType: 'PHYSICAL' }] }, { signal: AbortSignal.timeout(300) }),
      ).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(sandbox.stats().tenants[TENANT]?.kits).toBe(0);
      expect(sandbox.stats().calls['/registerCard']).toEqual({ 'fault:hang': 1 });
      expect((await card('676765')).status).toBe(200);
    });

    it('commitThenFail: the card is issued, the answer is a 500', async () => {
      sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault: 'commitThenFail', times: 1 }] });
      const answer = await card('676765');
      expect(answer.status).toBe(500);
      expect(answer.body.result).toBeNull();
      const kits = await post('/kit-manager/fetchKitsByEntityId', { entityId: '676765' });
      expect(kits.body.result).toHaveLength(1);
      expect((kits.body.result as Json[])[0]).toMatchObject({ accountNo: '8642135', cardType: 'PHYSICAL' });
    });

    it('commitThenDrop: the socket is destroyed after the customer is registered', async () => {
      sandbox.setFaults({ script: [{ endpoint: '/register', fault: 'commitThenDrop', times: 1 }] });
      await expect(post('/register', customer('1'))).rejects.toThrow(TypeError);
      expect((await post('/viewCustomer', { entityId: '1' })).status).toBe(200);
      expect(exceptionOf(await post('/register', customer('1'))).errorCode).toBe('entity.already.exists');
      expect(sandbox.stats().calls['/register']).toMatchObject({ 'fault:commitThenDrop': 1 });
    });

    it('a blind retry after commitThenFail issues a duplicate card, and it is counted', async () => {
      sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault: 'commitThenFail', times: 1 }] });
      expect((await card('676765')).status).toBe(500);
      expect((await card('676765')).status).toBe(200);
      expect(sandbox.stats().duplicateCards).toBe(1);
    });

    it('uses script entries up in order', async () => {
      sandbox.setFaults({
        script: [
          { endpoint: '/viewCustomer', fault: 'throttle', times: 1 },
          { endpoint: '/viewCustomer', fault: 'error', times: 1 },
        ],
      });
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await post('/viewCustomer', { entityId: '676765' })).status);
      expect(statuses).toEqual([429, 500, 200]);
    });
  });

  describe('slow commits, outages and lost writes', () => {
    beforeEach(async () => {
      await post('/register', customer('676765'));
    });

    it('slowCommit: applied slowCommitMs after it was received, whether the caller waited or not', async () => {
      sandbox.setFaults({ slowCommitMs: 600, script: [{ endpoint: '/registerCard', fault: 'slowCommit', times: 2 }] });
      const started = Date.now();
      await expect(
        post('/registerCard', { entityId: '676765', kitInfo: [{ accountNo: '8642135', cardType: 'PHYSICAL' }] }, { signal: AbortSignal.timeout(150) }),
      ).rejects.toMatchObject({ name: 'TimeoutError' });
      // The caller has given up; a read now finds nothing, and the call is still pending.
      expect((await post('/kit-manager/fetchKitsByEntityId', { entityId: '676765' })).body.result).toEqual([]);
      expect(sandbox.stats().pendingCalls).toBe(1);
      await expect.poll(() => sandbox.stats().tenants[TENANT]?.kits, { timeout: 2_000, interval: 25 }).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(550);
      expect(sandbox.stats().pendingCalls).toBe(0);

      // A patient caller gets the ordinary answer, late.
      const patientStart = Date.now();
      const answer = await card('676765', '8642135', 'VIRTUAL');
      expect(answer.status).toBe(200);
      expect(kitsOf(answer)[0]).toMatchObject({ cardType: 'VIRTUAL' });
      expect(Date.now() - patientStart).toBeGreaterThanOrEqual(550);
      expect(sandbox.stats().calls['/registerCard']).toEqual({ 'fault:slowCommit': 2 });
    });

    it('errorStatus: injected errors answer with the given 5xx', async () => {
      sandbox.setFaults({ errorRate: 1, errorStatus: 503 });
      const answer = await post('/viewCustomer', { entityId: '676765' });
      expect(answer.status).toBe(503);
      expect(exceptionOf(answer)).toMatchObject({ errorCode: 'service.unavailable', httpStatus: 'SERVICE_UNAVAILABLE' });
      sandbox.setFaults({ script: [{ endpoint: '/viewCustomer', fault: 'error', times: 1 }] });
      expect((await post('/viewCustomer', { entityId: '676765' })).status).toBe(500);
    });

    it('outage: everything in scope answers 503 for the window, which opens at the first call, then DCMS recovers', async () => {
      sandbox.setFaults({ outage: { durationMs: 500 } });
      await new Promise((resolve) => setTimeout(resolve, 300)); // time before the first call is not spent in the window
      const first = await card('676765');
      expect(first.status).toBe(503);
      expect(exceptionOf(first).errorCode).toBe('service.unavailable');
      expect((await post('/kit-manager/fetchKitsByEntityId', { entityId: '676765' })).status).toBe(503);
      expect(sandbox.stats().tenants[TENANT]?.kits).toBe(0);
      await expect.poll(async () => (await card('676765')).status, { timeout: 2_000, interval: 100 }).toBe(200);
      expect(sandbox.stats().calls['/registerCard']?.['fault:error']).toBeGreaterThanOrEqual(1);
    });

    it('ackWithoutCommit: deliveryStatus answers success per kit and applies nothing', async () => {
      const kitNo = kitsOf(await card('676765'))[0]!.kitNo as string;
      sandbox.setFaults({ script: [{ endpoint: '/inventory/update/deliveryStatus', fault: 'ackWithoutCommit', times: 1 }] });
      const answer = await post('/inventory/update/deliveryStatus', [{ deliveryStatus: 'DELIVERED', kitNo: [kitNo, '234'] }]);
      expect(answer.status).toBe(200);
      expect((answer.body.result as Json[]).map((item) => item.status)).toEqual(['200', '500']);
      expect(sandbox.kit(TENANT, kitNo)?.deliveryStatus).toBeNull();
      await post('/inventory/update/deliveryStatus', [{ deliveryStatus: 'DELIVERED', kitNo: [kitNo] }]);
      expect(sandbox.kit(TENANT, kitNo)?.deliveryStatus).toBe('DELIVERED');
      expect(() => sandbox.setFaults({ script: [{ endpoint: '/registerCard', fault: 'ackWithoutCommit', times: 1 }] })).toThrow();
    });
  });

  describe('rate faults', () => {
    it('applies rates only to the listed endpoints', async () => {
      sandbox.setFaults({ errorRate: 1, endpoints: ['/registerCard'] });
      expect((await post('/register', customer('676765'))).status).toBe(200);
      expect((await card('676765')).status).toBe(500);
    });

    it('is repeatable with a seed', async () => {
      await post('/register', customer('676765'));
      const run = async () => {
        sandbox.setFaults({ errorRate: 0.3, throttleRate: 0.2, seed: 42 });
        const statuses = [];
        for (let i = 0; i < 20; i += 1) statuses.push((await post('/viewCustomer', { entityId: '676765' })).status);
        return statuses;
      };
      const first = await run();
      expect(await run()).toEqual(first);
      expect(new Set(first)).toEqual(new Set([200, 429, 500]));
    });

    it('adds latency', async () => {
      sandbox.setFaults({ latencyMs: 150 });
      const started = Date.now();
      await post('/viewCustomer', { entityId: 'x' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('refuses invalid settings', () => {
      expect(() => sandbox.setFaults({ errorRate: 0.7, hangRate: 0.7 })).toThrow();
    });
  });

  describe('admin endpoints', () => {
    const admin = (path: string, body?: unknown) =>
      fetch(`${url}/__admin/${path}`, {
        method: body === undefined && path === 'stats' ? 'GET' : 'POST',
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });

    it('sets faults, validating the body', async () => {
      const accepted = await admin('faults', { script: [{ endpoint: '/viewCustomer', fault: 'error', times: 1 }] });
      expect(accepted.status).toBe(200);
      expect((await post('/viewCustomer', { entityId: 'x' })).status).toBe(500);

      for (const bad of [{ errorRate: 2 }, { errorRat: 0.1 }, { endpoints: ['/nope'] }, { script: [{ endpoint: '/register', fault: 'boom', times: 1 }] }, { errorRate: 0.6, throttleRate: 0.6 }, [1]]) {
        const refused = await admin('faults', bad);
        expect(refused.status, JSON.stringify(bad)).toBe(400);
        expect(((await refused.json()) as Json).error).toBe('invalid.fault.settings');
      }
      expect((await post('/viewCustomer', { entityId: 'x' })).status).toBe(400); // the valid settings were kept, script used up
    });

    it('reports stats matching stats()', async () => {
      await post('/register', customer('676765'));
      await card('nobody');
      const body = dcmsSandboxStatsSchema.parse(await (await admin('stats')).json());
      expect(body).toEqual(sandbox.stats());
      expect(body.calls).toEqual({ '/register': { '200': 1 }, '/registerCard': { '400:CUS001': 1 } });
    });

    it('resets data, stats and faults', async () => {
      await post('/register', customer('676765'));
      sandbox.setFaults({ errorRate: 1 });
      expect((await admin('reset')).status).toBe(200);
      expect(sandbox.stats()).toEqual({ calls: {}, tenants: {}, duplicateCards: 0, deliveryUpdates: 0, deliveryKitFailures: 0, pendingCalls: 0 });
      expect((await post('/register', customer('676765'))).status).toBe(200);
    });

    it('is never faulted', async () => {
      sandbox.setFaults({ errorRate: 1 });
      expect((await admin('stats')).status).toBe(200);
    });
  });

  it('answers unknown paths with a 404 envelope', async () => {
    const answer = await post('/nope', {});
    expect(answer.status).toBe(404);
    expectEnvelope(answer);
  });
});

describe('DCMS sandbox lifecycle', () => {
  it('close() ends a pending slow commit at once, without applying it', async () => {
    const sandbox = await startDcmsSandbox({ port: 0, faults: { slowCommitRate: 1, slowCommitMs: 60_000, endpoints: ['/registerCard'] } });
    await call(sandbox.url, '/register', customer('676765'));
    const pending = call(sandbox.url, '/registerCard', { entityId: '676765', kitInfo: [{ accountNo: '1', cardType: 'PHYSICAL' }] }).then(
      (value) => value,
      (error: unknown) => error,
    );
    await expect.poll(() => sandbox.stats().pendingCalls, { timeout: 1_000, interval: 10 }).toBe(1);
    const started = Date.now();
    await sandbox.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(TypeError);
    expect(sandbox.stats().tenants[TENANT]?.kits).toBe(0);
  });

  it('close() ends hung and slow requests instead of waiting for them', async () => {
    const settled = (answer: Promise<Answer>) => answer.then((value) => value, (error: unknown) => error);
    const sandbox = await startDcmsSandbox({ port: 0, faults: { script: [{ endpoint: '/viewCustomer', fault: 'hang', times: 1 }] } });
    const hung = settled(call(sandbox.url, '/viewCustomer', { entityId: 'x' }));
    const slowSandbox = await startDcmsSandbox({ port: 0, faults: { latencyMs: 60_000 } });
    const slow = settled(call(slowSandbox.url, '/viewCustomer', { entityId: 'x' }));
    // Both requests are in: the hung one counted, the slow one waiting out its latency.
    await expect.poll(() => sandbox.stats().calls['/viewCustomer']).toEqual({ 'fault:hang': 1 });
    await expect.poll(() => slowSandbox.stats().pendingCalls).toBe(1);
    const started = Date.now();
    await Promise.all([sandbox.close(), slowSandbox.close()]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await hung).toBeInstanceOf(TypeError);
    expect(await slow).toBeInstanceOf(TypeError);
  });
});

describe('DCMS sandbox with auth', () => {
  let sandbox: RunningDcmsSandbox;
  const authenticate = (body: unknown) =>
    fetch(`${sandbox.url}/api/authenticate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    sandbox = await startDcmsSandbox({ port: 0, auth: { users: { api_user: 's3cret' }, tokenTtlSeconds: 0.3 } });
  });
  afterAll(() => sandbox.close());

  it('refuses calls without a valid bearer token', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer forged' }, { authorization: 'Bearer eyJh.eyJl.c2ln' }, { authorization: 'Basic YTpi' }];
    for (const headers of attempts) {
      const answer = await call(sandbox.url, '/viewCustomer', { entityId: 'x' }, { headers });
      expect(answer.status).toBe(401);
      expectEnvelope(answer);
      expect(exceptionOf(answer)).toMatchObject({ errorCode: 'unauthorized', httpStatus: 'UNAUTHORIZED' });
    }
  });

  it('refuses bad credentials', async () => {
    expect((await authenticate({ username: 'api_user', password: 'wrong' })).status).toBe(401);
    expect((await authenticate({ username: 'toString', password: '' })).status).toBe(401);
    expect((await authenticate({ username: 'api_user' })).status).toBe(400);
  });

  it('accepts a token from /api/authenticate until it expires', async () => {
    const login = await authenticate({ username: 'api_user', password: 's3cret' });
    expect(login.status).toBe(200);
    const { id_token: token } = (await login.json()) as { id_token: string };
    const [, payload] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as { exp: number; sub: string };
    expect(claims.sub).toBe('api_user');
    expect(claims.exp * 1000 - Date.now()).toBeLessThanOrEqual(300);
    const headers = { authorization: `Bearer ${token}` };
    expect((await call(sandbox.url, '/viewCustomer', { entityId: 'x' }, { headers })).status).toBe(400); // CUS001: past auth
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await call(sandbox.url, '/viewCustomer', { entityId: 'x' }, { headers })).status).toBe(401);
  });
});
