import { SANDBOX_ORG_ID } from '../../shared/tooling/local-card91.js';

/**
 * Deterministic sample data for the Card91 sandbox, shaped after the samples in
 * docs/reference/card91.md with fictional people. Amounts are decimal strings (the wire
 * serializer prints them as numbers or strings with the scale Card91 uses); dates are kept in the
 * exact wire format of their field.
 *
 * Two customers:
 *   - 919876543210: three cards (active, inactive virtual, already blocked), two currencies,
 *     23 transactions and 7 card loads (enough for several pages), the five seed trips (two of
 *     them under another org id, as in the seed);
 *   - 919812345678: one card, and `numericAccountIds` so that responses print its account id as a
 *     JSON number, as the M3/M4 tables type it (docs/reference/card91.md §5.4).
 */

export type CardState = 'INACTIVE' | 'ACTIVE' | 'LOCKED' | 'BLOCKED';

export interface SeedCardLimit {
  currency: string;
  perAtmTxnLimit: string;
  perOnlineTxnLimit: string;
  perPosTxnLimit: string;
  perContactlessTxnLimit: string;
  maxPerAtmTxnLimit: string;
  maxPerOnlineTxnLimit: string;
  maxPerPosTxnLimit: string;
  maxPerContactlessTxnLimit: string;
  isContactLessAllowed: boolean;
  isAtmLimitEnabled: boolean;
  isOnlineLimitEnabled: boolean;
  isPosLimitEnabled: boolean;
}

export interface SeedCard {
  id: string;
  lastFour: string;
  state: CardState;
  type: 'PHYSICAL' | 'VIRTUAL';
  limits: SeedCardLimit[];
  blockedReason?: string;
  /** State to return to on UNLOCKED. */
  stateBeforeLock?: CardState;
}

export interface SeedBalance {
  currencyCode: string;
  balance: string;
  priority: string;
  isActive: string;
}

export interface SeedTransaction {
  id: number;
  txnId: string;
  txnType: string;
  txnCategory: string;
  currencyCode: string;
  amount: string;
  stan: string;
  rrn: string;
  rc: string;
  displayMessage: string;
  mid: string;
  tid: string;
  mcc: string;
  cardId: string;
  cardLastFour: string;
  merchantName: string;
  merchantCity: string;
  txnDate: string;
  switchTxnId: string;
  txnStatus: string;
}

export interface SeedCardLoad {
  cardLoadId: string;
  type: 'LOAD' | 'RELOAD' | 'ENCASH';
  status: string;
  currencyCode: string;
  fxAmount: string;
  baseCurrencyAmount: string;
  referenceNumber: string;
  txnDate: string;
  moneyReceivedDate: string;
}

export interface SeedTrip {
  mctcTripId: string;
  status: string;
  tripStartDate: string;
  tripEndDate: string;
  travelPurposeCode: string;
  orgId: string;
  destinationCountryCode: string;
  tripName: string;
  maxLoadLimit: string;
}

export interface SeedCardProgram {
  id: string;
  programName: string;
  network: string;
  issuer: string;
  accountId: string;
  status: string;
  orgCardProgramId: number;
  cards: SeedCard[];
  balances: SeedBalance[];
  splitTxnAllowed: boolean;
  transactions: SeedTransaction[];
  cardLoads: SeedCardLoad[];
}

export interface SeedCustomer {
  id: string;
  mobile: string;
  firstName: string;
  middleName: string;
  lastName: string;
  nameOnCard: string;
  dob: string;
  gender: string;
  email: string;
  status: string;
  currencyCode: string;
  lrsLimit: string;
  usedLimit: string;
  availableLimit: string;
  panValue: string;
  passportValue: string;
  passportValidity: string;
  cardPrograms: SeedCardProgram[];
  trips: SeedTrip[];
  /** Print account ids as JSON numbers (the M3/M4 tables' "int") instead of strings. */
  numericAccountIds?: boolean;
}

export interface SandboxSeed {
  customers: SeedCustomer[];
}

const OTHER_ORG_ID = 'OID240621070419750ID10693408';

const two = (n: number) => String(n).padStart(2, '0');

function limit(currency: string, per: [string, string, string, string], max: [string, string, string, string], enabled: [boolean, boolean, boolean, boolean]): SeedCardLimit {
  return {
    currency,
    perAtmTxnLimit: per[0],
    perOnlineTxnLimit: per[1],
    perPosTxnLimit: per[2],
    perContactlessTxnLimit: per[3],
    maxPerAtmTxnLimit: max[0],
    maxPerOnlineTxnLimit: max[1],
    maxPerPosTxnLimit: max[2],
    maxPerContactlessTxnLimit: max[3],
    isAtmLimitEnabled: enabled[0],
    isOnlineLimitEnabled: enabled[1],
    isPosLimitEnabled: enabled[2],
    isContactLessAllowed: enabled[3],
  };
}

/** The seed's AED limits (M5 sample) plus a USD line. */
const standardLimits = (): SeedCardLimit[] => [
  limit('AED', ['0', '0', '50000', '0'], ['90', '0', '50000', '0'], [false, false, true, false]),
  limit('USD', ['100', '200', '1000', '50'], ['500', '1000', '5000', '100'], [true, true, true, true]),
];

function sampleTransactions(count: number, firstId: number, cards: readonly SeedCard[]): SeedTransaction[] {
  const statuses = ['APPROVED', 'APPROVED', 'DECLINED'] as const;
  return Array.from({ length: count }, (_, i) => {
    const card = cards[i % cards.length]!;
    const declined = statuses[i % statuses.length] === 'DECLINED';
    return {
      id: firstId + i,
      txnId: `TXN24071705082863159${String(6972 + i).padStart(5, '0')}`,
      txnType: i % 2 === 0 ? 'ECOM' : 'POS',
      txnCategory: 'SALE',
      currencyCode: i % 4 === 3 ? 'USD' : 'AED',
      amount: `${((i * 37) % 900) + 10}.${two((i * 29) % 100)}`,
      stan: String(962602 + i).padStart(12, '0'),
      rrn: String(53984833478 + i).padStart(12, '0'),
      rc: declined ? '1806' : '00',
      displayMessage: declined ? 'Card not active' : 'Approved',
      mid: String(6546 + i),
      tid: String(4354 + i),
      mcc: i % 2 === 0 ? '5311' : '5812',
      cardId: card.id,
      cardLastFour: card.lastFour,
      merchantName: `Merchant ${i + 1}`,
      merchantCity: 'Dubai',
      txnDate: `2024-07-${two((i % 28) + 1)} ${two((i * 7) % 24)}:${two((i * 13) % 60)}:${two((i * 17) % 60)}`,
      switchTxnId: String(605747 + i),
      txnStatus: statuses[i % statuses.length]!,
    };
  });
}

function sampleCardLoads(count: number, account: string): SeedCardLoad[] {
  const types = ['LOAD', 'RELOAD', 'RELOAD', 'ENCASH'] as const;
  return Array.from({ length: count }, (_, i) => {
    const type = types[i % types.length]!;
    const at = `2024-09-${two(10 + i)}T${two(9 + i)}:${two((i * 11) % 60)}:${two((i * 7) % 60)}.${String(100 + i * 37).padStart(3, '0')}`;
    const amount = `${(i + 1) * 713}.${two((i * 41) % 100)}`;
    return {
      cardLoadId: `${type === 'ENCASH' ? 'ENCSH' : 'CLID'}2409191335311${String(60 + i).padStart(2, '0')}ID1247847${i}`,
      type,
      status: 'APPROVED',
      currencyCode: 'AED',
      fxAmount: amount,
      baseCurrencyAmount: amount,
      referenceNumber: `${account.slice(-4)}${i}`,
      txnDate: at,
      moneyReceivedDate: at,
    };
  });
}

function trip(id: string, start: string, end: string, code: string, orgId: string, destination: string, purpose: string): SeedTrip {
  return {
    mctcTripId: id,
    status: 'APPROVED',
    tripStartDate: start,
    tripEndDate: end,
    travelPurposeCode: code,
    orgId,
    destinationCountryCode: destination,
    tripName: `Trip to ${destination} (${purpose})`,
    maxLoadLimit: '13000',
  };
}

function firstCustomer(): SeedCustomer {
  const cards: SeedCard[] = [
    { id: 'CID240715054310293ID17085600', lastFour: '4760', state: 'ACTIVE', type: 'PHYSICAL', limits: standardLimits() },
    { id: 'CID240716181359139ID11104872', lastFour: '7817', state: 'INACTIVE', type: 'VIRTUAL', limits: standardLimits() },
    { id: 'CID240913110443475ID16827540', lastFour: '3359', state: 'BLOCKED', type: 'PHYSICAL', limits: standardLimits(), blockedReason: 'DAMAGED' },
  ];
  return {
    id: 'CUST240715044503610ID15656664',
    mobile: '919876543210',
    firstName: 'Asha',
    middleName: '',
    lastName: 'Verma',
    nameOnCard: 'Asha Verma',
    dob: '17-03-2001',
    gender: 'FEMALE',
    email: 'asha.verma@example.com',
    status: 'APPROVED',
    currencyCode: 'USD',
    lrsLimit: '250000',
    usedLimit: '0',
    availableLimit: '250000',
    panValue: 'ABCPV1234F',
    passportValue: 'Z1234567',
    passportValidity: '17-03-2040',
    cardPrograms: [
      {
        id: 'CP240709122046100ID18366231',
        programName: 'Travel Forex Card',
        network: 'RUPAY',
        issuer: 'THOMAS COOK',
        accountId: '767396723544',
        status: 'ACTIVE',
        orgCardProgramId: 303,
        cards,
        balances: [
          { currencyCode: 'AED', balance: '1520.75', priority: '1', isActive: 'ACTIVE' },
          { currencyCode: 'USD', balance: '0.00', priority: '2', isActive: 'OVERALL_FREEZE' },
        ],
        splitTxnAllowed: false,
        transactions: sampleTransactions(23, 788, cards.slice(0, 2)),
        cardLoads: sampleCardLoads(7, '813020763672'),
      },
    ],
    trips: [
      trip('TRIP240716125517805ID13084224', '2024-12-12', '2024-12-13', 'TP01', SANDBOX_ORG_ID, 'weqwe', 'Business Travel'),
      trip('TRIP240716125612513ID12178300', '2024-08-16', '2024-08-16', 'TP05', SANDBOX_ORG_ID, 'USA', 'Education(Self Funded)'),
      trip('TRIP240821115922086ID19751742', '2025-01-21', '2026-12-21', 'TP06', OTHER_ORG_ID, 'usa', 'Education(Loan Funded)'),
      trip('TRIP240903115924376ID12789250', '2024-09-03', '2024-09-25', 'TP06', OTHER_ORG_ID, 'USA', 'Education(Loan Funded)'),
      trip('TRIP240906101637354ID19777390', '2028-09-06', '2032-09-06', 'TP04', SANDBOX_ORG_ID, 'Uganda', 'Medical'),
    ],
  };
}

function secondCustomer(): SeedCustomer {
  const cards: SeedCard[] = [{ id: 'CID240801101500111ID12345678', lastFour: '1122', state: 'ACTIVE', type: 'PHYSICAL', limits: standardLimits() }];
  return {
    id: 'CUST240801093015220ID10293847',
    mobile: '919812345678',
    firstName: 'Rohan',
    middleName: 'K',
    lastName: 'Iyer',
    nameOnCard: 'Rohan Iyer',
    dob: '02-11-1990',
    gender: 'MALE',
    email: 'rohan.iyer@example.com',
    status: 'APPROVED',
    currencyCode: 'EUR',
    lrsLimit: '250000',
    usedLimit: '1200.5',
    availableLimit: '248799.5',
    panValue: 'ABCPI5678K',
    passportValue: 'Y7654321',
    passportValidity: '01-08-2033',
    numericAccountIds: true,
    cardPrograms: [
      {
        id: 'CP240801093015300ID10293900',
        programName: 'Student Forex Card',
        network: 'RUPAY',
        issuer: 'THOMAS COOK',
        accountId: '813020763672',
        status: 'ACTIVE',
        orgCardProgramId: 304,
        cards,
        balances: [{ currencyCode: 'EUR', balance: '99.10', priority: '1', isActive: 'ACTIVE' }],
        splitTxnAllowed: true,
        transactions: sampleTransactions(3, 950, cards),
        cardLoads: sampleCardLoads(1, '813020763672'),
      },
    ],
    trips: [trip('TRIP240801093015400ID10293950', '2024-09-01', '2025-06-30', 'TP05', SANDBOX_ORG_ID, 'Germany', 'Education(Self Funded)')],
  };
}

/** A fresh copy each call: the sandbox mutates its state. */
export function defaultSeed(): SandboxSeed {
  return { customers: [firstCustomer(), secondCustomer()] };
}
