/** The Card91 sandbox's seeded organisation and customers, as the tests address them. */
export const ORG_ID = 'OID240605060125057ID16561311';
export const ASHA = {
  mobile: '919876543210',
  customerId: 'CUST240715044503610ID15656664',
  accountId: '767396723544',
  activeCard: 'CID240715054310293ID17085600',
  inactiveVirtualCard: 'CID240716181359139ID11104872',
  blockedCard: 'CID240913110443475ID16827540',
} as const;
export const ROHAN = {
  mobile: '919812345678',
  customerId: 'CUST240801093015220ID10293847',
  accountId: '813020763672',
  card: 'CID240801101500111ID12345678',
} as const;

/** A complete AED limits line, every field set, as a card-settings write carries it. */
export const AED_LIMIT_LINE = {
  currency: 'AED',
  isContactLessAllowed: false,
  isAtmLimitEnabled: true,
  isOnlineLimitEnabled: false,
  isPosLimitEnabled: true,
  perAtmTxnLimit: 80,
  perOnlineTxnLimit: 0,
  perPosTxnLimit: 50000,
  perContactlessTxnLimit: 0,
};
