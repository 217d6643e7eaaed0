/** Card91Client reads (M2-M4, M9, M10) and the wire inconsistencies of the reference it smooths out. */
import { describe, expect, it } from 'vitest';
import { ASHA, ROHAN } from '../../support/card91-fixtures.js';
import { callsTo, stack, useCard91Stack } from './client-setup.js';

useCard91Stack();

describe('M2-M4: reads and the documented inconsistencies', () => {
  it('M2 re-reads the profile in the same shape as the login', async () => {
    const client = stack.client();
    const atLogin = await client.loginWithToken(ASHA.mobile);
    expect(await client.getCustomerDetail(ASHA.mobile)).toEqual(atLogin);
  });

  it('M3 reads balances sent as strings ("0.00") and priority as a string', async () => {
    const balances = await stack.client().getCurrencyBalances(ASHA.mobile, ASHA.accountId);
    expect(balances).toEqual({
      accountCurrencyBalanceList: [
        { balance: '1520.75', currencyCode: 'AED', priority: '1', isActive: 'ACTIVE' },
        { balance: '0', currencyCode: 'USD', priority: '2', isActive: 'OVERALL_FREEZE' },
      ],
      splitTxnAllowed: false,
    });
  });

  it('M4 reads a page: number ids become strings, amounts exact decimals, "YYYY-MM-DD HH:mm:ss" dates ISO', async () => {
    const page = await stack.client().getTransactions(ASHA.mobile, { accountId: ASHA.accountId, page: 2, perPage: 10 });

    expect(page).toMatchObject({ currentPage: 2, totalPages: 3, totalRecords: 23, recordsCurrentPage: 10, accountId: ASHA.accountId });
    const first = page.transactions[0]!;
    expect(first.id).toBe('798'); // JSON number 798
    expect(first.amount).toBe('380.9'); // 380.90 on the wire, canonical decimal string
    expect(first.txnDate).toBe('2024-07-11T22:10:50.000+05:30');
    expect(first.switch_rc).toBeNull();
    expect(first.entityId).toBe(ASHA.accountId);
  });

  it('M4 as an async iterator walks every page to the end', async () => {
    const client = stack.client();
    const ids: string[] = [];
    for await (const transaction of client.iterateTransactions(ASHA.mobile, { accountId: ASHA.accountId, perPage: 10 })) ids.push(transaction.txnId);

    expect(ids).toHaveLength(23);
    expect(new Set(ids).size).toBe(23);
    expect(callsTo('getTransactions')).toEqual({ '200': 3 });
  });

  it('accepts account ids printed as JSON numbers (the M3/M4 tables say int) and keeps every digit', async () => {
    const client = stack.client();
    const page = await client.getTransactions(ROHAN.mobile, { accountId: ROHAN.accountId });
    expect(page.accountId).toBe(ROHAN.accountId);
    expect(page.transactions.map((transaction) => transaction.entityId)).toEqual([ROHAN.accountId, ROHAN.accountId, ROHAN.accountId]);
    expect((await client.getCurrencyBalances(ROHAN.mobile, ROHAN.accountId)).accountCurrencyBalanceList[0]?.balance).toBe('99.1');
  });
});

describe('M9, M10: loads and trips', () => {
  it('M9 reads loads under /mctc/v1/cards/ with "YYYY-MM-DDTHH:mm:ss.SSS" dates, and iterates every page', async () => {
    const client = stack.client();
    const page = await client.getCardLoadHistory(ASHA.mobile, { accountId: ASHA.accountId, page: 1, perPage: 3 });
    expect(page).toMatchObject({ currentPage: 1, totalPages: 3, totalRecords: 7, recordsCurrentPage: 3 });
    expect(page.cardLoadList[0]).toMatchObject({ type: 'LOAD', fxAmount: '713', txnDate: '2024-09-10T09:00:00.100+05:30' });

    const loads = [];
    for await (const load of client.iterateCardLoads(ASHA.mobile, { accountId: ASHA.accountId, perPage: 3 })) loads.push(load);
    expect(loads).toHaveLength(7);
    expect(loads.filter((load) => load.type === 'ENCASH').every((load) => load.cardLoadId.startsWith('ENCSH'))).toBe(true);
  });

  it('M10 reads the bare-array trip list from path parameters, dates as YYYY-MM-DD, trips of other orgs included', async () => {
    const client = stack.client();
    const trips = await client.getTrips(ASHA.mobile, { customerId: ASHA.customerId });

    expect(trips).toHaveLength(5);
    expect(trips[0]).toEqual({
      id: null,
      mctcTripId: 'TRIP240716125517805ID13084224',
      status: 'APPROVED',
      customerId: ASHA.customerId,
      tripStartDate: '2024-12-12',
      tripEndDate: '2024-12-13',
      travelPurposeCode: 'TP01',
      orgId: 'OID240605060125057ID16561311',
      destinationCountryCode: 'weqwe',
      tripName: 'Trip to weqwe (Business Travel)',
      maxLoadLimit: '13000',
    });
    expect(new Set(trips.map((trip) => trip.orgId)).size).toBe(2);
    expect((await client.getTrips(ASHA.mobile, { customerId: ASHA.customerId, page: 3, perPage: 2 })).map((trip) => trip.mctcTripId)).toEqual(['TRIP240906101637354ID19777390']);
  });
});
