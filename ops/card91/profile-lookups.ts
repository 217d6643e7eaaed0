import type { Card, Card91Client, CardLimit, CardProgram, CurrencyBalance, CustomerDetail, Trip } from '../../shared/card91/index.js';
import type { Lookup } from './lookup.js';
import { fields, table } from './tables.js';

/** Lookups of the cardholder as they stand: profile, cards with their limits, balances, trips. */

interface CardWithLimits extends Card {
  limits: CardLimit[];
}
interface AccountCards {
  accountId: string;
  programName: string | null | undefined;
  cards: CardWithLimits[];
}
interface AccountBalances {
  accountId: string;
  currencies: CurrencyBalance[];
  splitTxnAllowed: boolean | null | undefined;
}

/** Logs the cardholder in and reads each of their accounts, all at once, in the order Card91 lists them. */
async function eachAccount<T>(client: Card91Client, mobile: string, read: (account: CardProgram) => Promise<T>): Promise<T[]> {
  const customer = await client.loginWithToken(mobile);
  return Promise.all(customer.cardPrograms.map(read));
}

const cardRows = (accounts: ReadonlyArray<Pick<CardProgram, 'accountId' | 'programName' | 'cards'>>) =>
  accounts.flatMap((account) =>
    account.cards.map((card) => ({ account: account.accountId, program: account.programName, card: card.id, lastFour: card.lastFour, type: card.type, state: card.state })),
  );

export const customerLookup: Lookup<CustomerDetail> = {
  name: 'customer',
  description: 'the cardholder’s profile: identity, KYC, LRS limits, accounts and cards',
  fetch: (client, { mobile }) => client.loginWithToken(mobile),
  render: (c) =>
    fields('Customer', {
      id: c.id,
      status: c.status,
      firstName: c.firstName,
      lastName: c.lastName,
      mobile: c.mobile,
      email: c.email,
      dob: c.dob,
      panValue: c.panValue,
      passportValue: c.passportValue,
      passportValidity: c.passportValidity,
      currencyCode: c.currencyCode,
      lrsLimit: c.lrsLimit,
      usedLimit: c.usedLimit,
      availableLimit: c.availableLimit,
    }) + table('Cards', cardRows(c.cardPrograms)),
};

const channel = (per: string, max: string, enabled: boolean) => `${per} / ${max}${enabled ? '' : ' (off)'}`;

export const cardsLookup: Lookup<AccountCards[]> = {
  name: 'cards',
  description: 'the cardholder’s cards: state, and per-currency limits against their ceilings',
  fetch: (client, { mobile }) =>
    eachAccount(client, mobile, async (account) => ({
      accountId: account.accountId,
      programName: account.programName,
      cards: await Promise.all(account.cards.map(async (card) => ({ ...card, limits: (await client.getCardSettings(mobile, card.id)).limits }))),
    })),
  render: (accounts) =>
    table('Cards', cardRows(accounts)) +
    table(
      'Limits per transaction (current / ceiling)',
      accounts.flatMap((account) =>
        account.cards.flatMap((card) =>
          card.limits.map((line) => ({
            card: card.lastFour,
            currency: line.currency,
            atm: channel(line.perAtmTxnLimit, line.maxPerAtmTxnLimit, line.isAtmLimitEnabled),
            online: channel(line.perOnlineTxnLimit, line.maxPerOnlineTxnLimit, line.isOnlineLimitEnabled),
            pos: channel(line.perPosTxnLimit, line.maxPerPosTxnLimit, line.isPosLimitEnabled),
            contactless: channel(line.perContactlessTxnLimit, line.maxPerContactlessTxnLimit, line.isContactLessAllowed),
          })),
        ),
      ),
    ),
};

export const balancesLookup: Lookup<AccountBalances[]> = {
  name: 'balances',
  description: 'balances per currency of each of the cardholder’s accounts',
  fetch: (client, { mobile }) =>
    eachAccount(client, mobile, async ({ accountId }) => {
      const balances = await client.getCurrencyBalances(mobile, accountId);
      return { accountId, currencies: balances.accountCurrencyBalanceList, splitTxnAllowed: balances.splitTxnAllowed };
    }),
  render: (accounts) =>
    table(
      'Balances',
      accounts.flatMap((account) =>
        account.currencies.map((line) => ({ account: account.accountId, currency: line.currencyCode, balance: line.balance, priority: line.priority, status: line.isActive })),
      ),
    ),
};

export const tripsLookup: Lookup<Trip[]> = {
  name: 'trips',
  description: 'the cardholder’s declared trips (LRS purpose, dates, load ceiling)',
  fetch: async (client, { mobile }) => {
    const customer = await client.loginWithToken(mobile);
    return client.getTrips(mobile, { customerId: customer.id, perPage: 100 });
  },
  render: (trips) =>
    table(
      'Trips',
      trips.map((trip) => ({
        trip: trip.mctcTripId,
        name: trip.tripName,
        status: trip.status,
        from: trip.tripStartDate,
        to: trip.tripEndDate,
        purpose: trip.travelPurposeCode,
        destination: trip.destinationCountryCode,
        maxLoad: trip.maxLoadLimit,
      })),
    ),
};
