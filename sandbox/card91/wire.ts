/**
 * Sandbox state → Card91 response bodies, reproducing the quirks of the real documents so clients
 * are tested against them (docs/reference/card91.md §1.3, §5):
 *   - amounts are JSON numbers printed with Card91's scale (`250000.00`, `50000.0000`), except a
 *     zero ceiling, printed bare (`"maxPerOnlineTxnLimit": 0`), and balances, which are strings;
 *   - ids are strings except transaction and document ids (numbers); account ids are strings,
 *     or numbers for customers seeded with `numericAccountIds`;
 *   - `switch_rc` is snake_case; four date formats; trips come as a bare array with `id: null`.
 * Amounts go out via JSON.rawJSON so no float ever rounds them.
 */
import { exactJsonNumber } from '../../shared/json/exact-numbers.js';
import { parseDecimal } from '../../shared/card91/money.js';
import type { SeedCard, SeedCardLoad, SeedCardProgram, SeedCustomer, SeedTransaction, SeedTrip } from './seed-data.js';

/** `12.5` at scale 2 → `12.50`. Pads only: sandbox amounts never carry more digits than their scale. */
function withScale(amount: string, scale: number): string {
  const canonical = parseDecimal(amount) ?? amount;
  const [integerPart, fractionPart = ''] = canonical.split('.');
  return `${integerPart}.${fractionPart.padEnd(scale, '0')}`;
}

const money = (amount: string, scale = 2): unknown => exactJsonNumber(withScale(amount, scale));
const accountIdOf = (customer: SeedCustomer, accountId: string): unknown => (customer.numericAccountIds ? exactJsonNumber(accountId) : accountId);

export interface PageSlice<T> {
  items: T[];
  page: number;
  totalPages: number;
  totalRecords: number;
}

export function slicePage<T>(all: readonly T[], page: number, perPage: number): PageSlice<T> {
  return {
    items: all.slice((page - 1) * perPage, page * perPage),
    page,
    totalPages: Math.ceil(all.length / perPage),
    totalRecords: all.length,
  };
}

const pageMetadata = (slice: PageSlice<unknown>) => ({
  recordsCurrentPage: slice.items.length,
  currentPage: slice.page,
  totalPages: slice.totalPages,
  totalRecords: slice.totalRecords,
});

const ORGANIZATION_CONFIG = {
  selfLoad: false,
  directLoad: true,
  selfEncashment: false,
  directEncashment: true,
  kycDocRequired: true,
  travelDocRequired: false,
  splitTxnAllowed: false,
  interCurrencyTransferAllowed: false,
  loadRefNumberRequired: true,
  encashmentRefNumberRequired: true,
  defaultEmailAlert: true,
  defaultDomesticSmsAlert: true,
  defaultInternationalSmsAlert: false,
  ecomAllowed: false,
  atmAllowed: true,
  posAllowed: true,
  clAllowed: false,
  ecomDefault: false,
  atmDefault: false,
  posDefault: false,
  clDefault: false,
  zoopEnabled: false,
};

const cardWire = (card: SeedCard) => ({ id: card.id, lastFour: card.lastFour, state: card.state, type: card.type });

const programWire = (program: SeedCardProgram) => ({
  id: program.id,
  imageUrl: null,
  programName: program.programName,
  network: program.network,
  issuer: program.issuer,
  accountId: program.accountId,
  status: program.status,
  orgCardProgramId: program.orgCardProgramId,
  cards: program.cards.map(cardWire),
});

/** M1 / M2 body (docs/reference/card91.md §2). `accountId` is a string here in every document, so it stays one even for numericAccountIds. */
export function customerDetailWire(customer: SeedCustomer) {
  return {
    documents: [
      {
        id: 117,
        validity: null,
        version: null,
        docType: 'AIR_TICKET',
        docUrl: `https://docs.example.invalid/SANDBOX/${customer.id}-ticket.jpg`,
        countryISOCode: null,
      },
    ],
    addresses: [
      {
        id: 547,
        addressType: 'CURRENT_ADDRESS',
        address1: '12 Residency Road',
        address2: 'Koramangala',
        landmark: 'Near the park',
        city: 'Bengaluru',
        countryISOCode: 'IND',
        pinCode: '560066',
        state: 'Karnataka',
        status: 'ACTIVE',
      },
    ],
    employmentDetails: [],
    cardPrograms: customer.cardPrograms.map(programWire),
    id: customer.id,
    dob: customer.dob,
    gender: customer.gender,
    mobile: customer.mobile,
    email: customer.email,
    firstName: customer.firstName,
    internationalMobileNumber: null,
    middleName: customer.middleName,
    lastName: customer.lastName,
    nameOnCard: customer.nameOnCard,
    status: customer.status,
    currencyCode: customer.currencyCode,
    lrsLimit: money(customer.lrsLimit),
    usedLimit: money(customer.usedLimit),
    availableLimit: money(customer.availableLimit),
    organizationConfig: ORGANIZATION_CONFIG,
    panValue: customer.panValue,
    passportValue: customer.passportValue,
    passportFileNumber: 'dummy',
    passportValidity: customer.passportValidity,
  };
}

/** M3 body: balance and priority are strings. */
export const currencyBalancesWire = (program: SeedCardProgram) => ({
  accountCurrencyBalanceList: program.balances.map((line) => ({
    balance: withScale(line.balance, 2),
    currencyCode: line.currencyCode,
    priority: line.priority,
    isActive: line.isActive,
  })),
  splitTxnAllowed: program.splitTxnAllowed,
});

const transactionWire = (customer: SeedCustomer, program: SeedCardProgram, txn: SeedTransaction) => ({
  id: txn.id,
  txnId: txn.txnId,
  txnType: txn.txnType,
  txnCategory: txn.txnCategory,
  currencyCode: txn.currencyCode,
  amount: money(txn.amount),
  baseCurrencyAmount: null,
  baseCurrencyCode: null,
  exchangeRate: null,
  overallMarkup: null,
  stan: txn.stan,
  rrn: txn.rrn,
  rc: txn.rc,
  switch_rc: null,
  displayMessage: txn.displayMessage,
  eventType: 'TRANSACTION',
  mid: txn.mid,
  tid: txn.tid,
  reversalCount: 0,
  mcc: txn.mcc,
  refundCount: 0,
  cardId: txn.cardId,
  customerId: null,
  network: program.network,
  settled: false,
  fromAccount: null,
  toAccount: null,
  merchantName: txn.merchantName,
  merchantCity: txn.merchantCity,
  merchantRegion: 'DU',
  merchantCountryCode: 'AE',
  merchantAddress: null,
  merchantPostalCode: '000000',
  merchantPhone: null,
  latitude: '',
  longitude: '',
  orgCardProgramMapId: null,
  nameOnCard: null,
  cardLastFour: txn.cardLastFour,
  aid: null,
  tvr: null,
  settlementDate: null,
  transmissionDate: txn.txnDate,
  localTxnDate: null,
  txnDate: txn.txnDate,
  orgId: null,
  switchTxnId: txn.switchTxnId,
  switchRefTxnId: '',
  txnStatus: txn.txnStatus,
  amountFlow: null,
  entityType: 'CUST',
  entityId: accountIdOf(customer, program.accountId),
  node: 0,
  referenceTxnId: null,
});

/** M4 body. */
export const transactionPageWire = (customer: SeedCustomer, program: SeedCardProgram, slice: PageSlice<SeedTransaction>) => ({
  ...pageMetadata(slice),
  accountId: accountIdOf(customer, program.accountId),
  transactions: slice.items.map((txn) => transactionWire(customer, program, txn)),
});

/** A zero ceiling is printed bare (`0`), every other limit with four decimals, as in the M5 sample. */
const ceiling = (amount: string): unknown => (parseDecimal(amount) === '0' ? exactJsonNumber('0') : money(amount, 4));

/** M5 body (and M6's answer). */
export const cardSettingsWire = (card: SeedCard) => ({
  limits: card.limits.map((line) => ({
    currency: line.currency,
    perAtmTxnLimit: money(line.perAtmTxnLimit, 4),
    perOnlineTxnLimit: money(line.perOnlineTxnLimit, 4),
    perPosTxnLimit: money(line.perPosTxnLimit, 4),
    perContactlessTxnLimit: money(line.perContactlessTxnLimit, 4),
    maxPerAtmTxnLimit: ceiling(line.maxPerAtmTxnLimit),
    maxPerOnlineTxnLimit: ceiling(line.maxPerOnlineTxnLimit),
    maxPerPosTxnLimit: ceiling(line.maxPerPosTxnLimit),
    maxPerContactlessTxnLimit: ceiling(line.maxPerContactlessTxnLimit),
    isContactLessAllowed: line.isContactLessAllowed,
    isAtmLimitEnabled: line.isAtmLimitEnabled,
    isOnlineLimitEnabled: line.isOnlineLimitEnabled,
    isPosLimitEnabled: line.isPosLimitEnabled,
  })),
});

/** M9 body. `account` and `referenceNumber` are strings. */
export const cardLoadPageWire = (program: SeedCardProgram, slice: PageSlice<SeedCardLoad>) => ({
  ...pageMetadata(slice),
  cardLoadList: slice.items.map((load) => ({
    baseCurrencyAmount: money(load.baseCurrencyAmount),
    moneyReceivedDate: load.moneyReceivedDate,
    account: program.accountId,
    fxAmount: money(load.fxAmount),
    status: load.status,
    type: load.type,
    cardLoadId: load.cardLoadId,
    currencyCode: load.currencyCode,
    txnDate: load.txnDate,
    referenceNumber: load.referenceNumber,
  })),
});

/** M10 body: a bare array, `id` always null. */
export const tripsWire = (customer: SeedCustomer, trips: readonly SeedTrip[]) =>
  trips.map((trip) => ({
    id: null,
    mctcTripId: trip.mctcTripId,
    status: trip.status,
    customerId: customer.id,
    tripStartDate: trip.tripStartDate,
    tripEndDate: trip.tripEndDate,
    travelPurposeCode: trip.travelPurposeCode,
    orgId: trip.orgId,
    destinationCountryCode: trip.destinationCountryCode,
    tripName: trip.tripName,
    maxLoadLimit: money(trip.maxLoadLimit),
  }));
