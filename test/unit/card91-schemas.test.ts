/**
 * The response schemas against the seed's own samples (docs/reference/card91.md §3) and the variants
 * the reference says the documents disagree on (docs/reference/card91.md §1.3, §5).
 */
import { describe, expect, it } from 'vitest';
import { parseCard91Json } from '../../shared/card91/json-codec.js';
import {
  cardLoadPageSchema,
  cardSettingsSchema,
  currencyBalancesSchema,
  customerDetailSchema,
  setCardSettingsRequestSchema,
  transactionPageSchema,
  tripListSchema,
} from '../../shared/card91/index.js';

const SEED_TRANSACTIONS = `{
  "recordsCurrentPage": 1, "currentPage": 1, "totalPages": 1, "totalRecords": 1, "accountId": "767396723544",
  "transactions": [ { "id": 788, "txnId": "TXN2407170508286315986972", "txnType": "ECOM", "txnCategory": "SALE",
    "currencyCode": "AED", "amount": 12.00, "baseCurrencyAmount": null, "baseCurrencyCode": null, "exchangeRate": null,
    "overallMarkup": null, "stan": "000000962602", "rrn": "053984833478", "rc": "1806", "switch_rc": null,
    "displayMessage": "Card not active", "eventType": "TRANSACTION", "mid": "6546", "tid": "4354", "reversalCount": 0,
    "mcc": "2222", "refundCount": 0, "cardId": "CID2407150###293ID17085600", "customerId": null, "network": "RUPAY",
    "settled": false, "fromAccount": null, "toAccount": null, "merchantName": "Raj", "merchantCity": "Madiwal",
    "merchantRegion": "MH", "merchantCountryCode": "IN", "merchantAddress": null, "merchantPostalCode": "400063",
    "merchantPhone": null, "latitude": "", "longitude": "", "orgCardProgramMapId": null, "nameOnCard": null,
    "cardLastFour": "4760", "aid": null, "tvr": null, "settlementDate": null, "transmissionDate": "2024-07-17 05:08:28",
    "localTxnDate": null, "txnDate": "2024-07-17 05:08:28", "orgId": null, "switchTxnId": "605747", "switchRefTxnId": "",
    "txnStatus": "DECLINED", "amountFlow": null, "entityType": "CUST", "entityId": "767396723544", "node": 0, "referenceTxnId": null } ] }`;

const SEED_LIMITS = `{ "limits": [ { "currency": "AED", "perAtmTxnLimit": 0.0000, "perOnlineTxnLimit": 0.0000,
  "perPosTxnLimit": 50000.0000, "perContactlessTxnLimit": 0.0000, "maxPerAtmTxnLimit": 90.0000, "maxPerOnlineTxnLimit": 0,
  "maxPerPosTxnLimit": 50000.0000, "maxPerContactlessTxnLimit": 0, "isContactLessAllowed": false, "isAtmLimitEnabled": false,
  "isOnlineLimitEnabled": false, "isPosLimitEnabled": true } ] }`;

const SEED_LOADS = `{ "recordsCurrentPage": 1, "currentPage": 1, "totalPages": 1, "totalRecords": 1, "cardLoadList": [ {
  "baseCurrencyAmount": 713.00, "moneyReceivedDate": "2024-09-19T13:35:31.299", "account": "813020763672", "fxAmount": 713.00,
  "status": "APPROVED", "type": "ENCASH", "cardLoadId": "ENCSH240919133531160ID12478470", "currencyCode": "AED",
  "txnDate": "2024-09-19T13:35:31.299", "referenceNumber": "67312" } ] }`;

const SEED_TRIPS = `[ { "id": null, "mctcTripId": "TRIP240716125517805ID13084224", "status": "APPROVED",
  "customerId": "CUST240715044503610ID15656664", "tripStartDate": "2024-12-12", "tripEndDate": "2024-12-13",
  "travelPurposeCode": "TP01", "orgId": "OID240605060125057ID16561311", "destinationCountryCode": "weqwe",
  "tripName": "Trip to weqwe (Business Travel)", "maxLoadLimit": 13000.00 } ]`;

const SEED_CUSTOMER = `{ "documents": [ { "id": 117, "validity": null, "version": null, "docType": "AIR_TICKET",
  "docUrl": "https://example.invalid/a.jpg", "countryISOCode": null } ],
  "addresses": [ { "id": 547, "addressType": "CURRENT_ADDRESS", "address1": "Tirumala P", "address2": "Koramangalaa",
    "landmark": "Police station", "city": "koramangala", "countryISOCode": "IND", "pinCode": "560066", "state": "Karnataka", "status": "ACTIVE" } ],
  "employmentDetails": [],
  "cardPrograms": [ { "id": "CP240709122046100ID18366231", "imageUrl": null, "programName": "Sagar Thomas cook ", "network": "RUPAY",
    "issuer": "THOMAS COOK", "accountId": "767396723544", "status": "ACTIVE", "orgCardProgramId": 303,
    "cards": [ { "id": "CID240715054310293ID17085600", "lastFour": "4760", "state": "INACTIVE", "type": "PHYSICAL" } ] } ],
  "id": "CUST2407150445######D15656664", "dob": "17-03-2001", "gender": "MALE", "mobile": "91900###028", "email": "x@example.invalid",
  "firstName": "R", "internationalMobileNumber": null, "middleName": "", "lastName": "M", "nameOnCard": "Raj", "status": "APPROVED",
  "currencyCode": "USD", "lrsLimit": 250000.00, "usedLimit": 0.00, "availableLimit": 250000.00,
  "organizationConfig": { "selfLoad": false, "directLoad": true, "zoopEnabled": false },
  "panValue": "DUMPM6643T", "passportValue": "Y1444157", "passportFileNumber": "dummy", "passportValidity": "17-03-2040" }`;

const parse = <T>(schema: { parse: (value: unknown) => T }, text: string): T => schema.parse(parseCard91Json(text));

describe('Card91 JSON reader', () => {
  it('keeps the exact source text of amounts and ids, never a float', () => {
    expect(parseCard91Json('{"amount": 12.00, "accountId": 12345678901234567890, "node": 0}')).toEqual({
      amount: '12.00',
      accountId: '12345678901234567890',
      node: 0,
    });
  });

  it('rejects the seed’s M1 sample as printed (extra closing brace)', () => {
    expect(() => parseCard91Json(`${SEED_CUSTOMER}}`)).toThrow(SyntaxError);
  });
});

describe('response schemas on the seed samples', () => {
  it('M1/M2 customer detail: DD-MM-YYYY dates, decimal limits, number ids as strings', () => {
    const customer = parse(customerDetailSchema, SEED_CUSTOMER);
    expect(customer).toMatchObject({ dob: '2001-03-17', passportValidity: '2040-03-17', lrsLimit: '250000', usedLimit: '0' });
    expect(customer.documents[0]?.id).toBe('117');
    expect(customer.cardPrograms[0]).toMatchObject({ accountId: '767396723544', orgCardProgramId: '303' });
    expect(customer.organizationConfig?.directLoad).toBe(true);
  });

  it('M3 balances: balance and priority strings; numbers accepted too', () => {
    const seed = parse(currencyBalancesSchema, '{"accountCurrencyBalanceList":[{"balance":"0.00","currencyCode":"AED","priority":"1","isActive":"OVERALL_FREEZE"}],"splitTxnAllowed":false}');
    expect(seed.accountCurrencyBalanceList[0]).toEqual({ balance: '0', currencyCode: 'AED', priority: '1', isActive: 'OVERALL_FREEZE' });
    const drifted = parse(currencyBalancesSchema, '{"accountCurrencyBalanceList":[{"balance":10.50,"currencyCode":"AED","priority":1,"isActive":"ACTIVE"}]}');
    expect(drifted.accountCurrencyBalanceList[0]).toMatchObject({ balance: '10.5', priority: '1' });
  });

  it('M4 transactions: number id, snake_case switch_rc, spaced dates', () => {
    const page = parse(transactionPageSchema, SEED_TRANSACTIONS);
    expect(page.transactions[0]).toMatchObject({ id: '788', amount: '12', switch_rc: null, txnDate: '2024-07-17T05:08:28.000+05:30', entityId: '767396723544' });
  });

  it('M4 with the drift the tables allow: accountId as a number, amount as a string, id as a string', () => {
    const drifted = SEED_TRANSACTIONS.replace('"accountId": "767396723544"', '"accountId": 767396723544').replace('"amount": 12.00', '"amount": "12.50"').replace('"id": 788', '"id": "788"');
    const page = parse(transactionPageSchema, drifted);
    expect(page.accountId).toBe('767396723544');
    expect(page.transactions[0]).toMatchObject({ id: '788', amount: '12.5' });
  });

  it('M4 refuses a transaction date in another field’s format', () => {
    const wrong = SEED_TRANSACTIONS.replace('"txnDate": "2024-07-17 05:08:28"', '"txnDate": "17-07-2024"');
    const result = transactionPageSchema.safeParse(parseCard91Json(wrong));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['transactions', 0, 'txnDate']);
  });

  it('M5 limits: 0.0000, bare 0 and 50000.0000 alike', () => {
    expect(parse(cardSettingsSchema, SEED_LIMITS).limits[0]).toMatchObject({ perAtmTxnLimit: '0', maxPerAtmTxnLimit: '90', maxPerOnlineTxnLimit: '0', perPosTxnLimit: '50000' });
  });

  it('M9 loads: ISO local date-times with milliseconds', () => {
    expect(parse(cardLoadPageSchema, SEED_LOADS).cardLoadList[0]).toMatchObject({
      fxAmount: '713',
      txnDate: '2024-09-19T13:35:31.299+05:30',
      account: '813020763672',
      referenceNumber: '67312',
    });
  });

  it('M10 trips: a bare array, id null, YYYY-MM-DD dates', () => {
    expect(parse(tripListSchema, SEED_TRIPS)).toEqual([expect.objectContaining({ id: null, tripStartDate: '2024-12-12', maxLoadLimit: '13000' })]);
  });
});

describe('M6 request schema', () => {
  it('takes the sample’s nested limits[] and refuses the flat table shape', () => {
    const nested = {
      entityType: 'CARD',
      entityId: 'CID24071505ID17085600',
      limits: [
        {
          currency: 'AED',
          isContactLessAllowed: false,
          isAtmLimitEnabled: true,
          isOnlineLimitEnabled: false,
          isPosLimitEnabled: true,
          perAtmTxnLimit: 80,
          perOnlineTxnLimit: 0,
          perPosTxnLimit: 50000,
          perContactlessTxnLimit: 0,
        },
      ],
    };
    expect(setCardSettingsRequestSchema.parse(nested).limits[0]?.perAtmTxnLimit).toBe('80');
    const { limits, ...rest } = nested;
    expect(setCardSettingsRequestSchema.safeParse({ ...rest, ...limits[0] }).success).toBe(false);
  });
});
