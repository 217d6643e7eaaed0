/**
 * Zod schemas for the answers of the ten Card91 MCTC customer-service methods
 * (docs/reference/card91.md §2–§3). Every type the client exposes is derived from these.
 *
 * Response parsing policy: strict on the fields we act on (ids, card state, limits, amounts,
 * paging), tolerant where the documents disagree (docs/reference/card91.md §1.3, §5.4):
 *   - ids and account ids: JSON string or number → string (`accountId` is "int" in the method 3/4
 *     tables but a string in every response; transaction `id` is a number);
 *   - amounts: JSON number or string → canonical decimal string (money.ts), never a float;
 *   - dates: one parser per field for the four formats (dates.ts);
 *   - descriptive fields (names, address lines, merchant data, fields the seed only shows as null)
 *     may be absent or null, so a new null from the platform cannot fail a whole read.
 * Unknown fields are dropped.
 */
import * as z from 'zod';
import { code, count, dayMonthYear, decimal, identifier, list, localIsoDateTime, spacedDateTime, text, unknownScalar, yearMonthDay } from './schema-fields.js';

/*
 * Fields that parse alike share one schema instance (zod schemas are immutable): every instance is
 * work at cold start, and these shapes repeat the same few fields dozens of times.
 */
const requiredText = z.string();
const nonEmptyText = requiredText.min(1);
const requiredFlag = z.boolean();
const optionalDecimal = decimal.nullish();
const optionalIdentifier = identifier.nullish();
const optionalCount = count.nullish();
const optionalDayMonthYear = dayMonthYear.nullish();

export const cardSchema = z.object({
  id: nonEmptyText,
  lastFour: code,
  /** INACTIVE | ACTIVE | LOCKED | BLOCKED | … (open set: docs/reference/card91.md §5.7). */
  state: requiredText,
  type: text,
});

export const cardProgramSchema = z.object({
  id: nonEmptyText,
  imageUrl: text,
  programName: text,
  network: text,
  issuer: text,
  /** Input to methods 3, 4 and 9: passed through exactly as received. */
  accountId: identifier,
  status: text,
  orgCardProgramId: optionalIdentifier,
  cards: list(cardSchema),
});

const documentSchema = z.object({
  id: identifier,
  validity: unknownScalar,
  version: unknownScalar,
  docType: text,
  docUrl: text,
  countryISOCode: text,
});

const addressSchema = z.object({
  id: optionalIdentifier,
  addressType: text,
  address1: text,
  address2: text,
  landmark: text,
  city: text,
  countryISOCode: text,
  pinCode: code,
  state: text,
  status: text,
});

const flag = requiredFlag.nullish();

const organizationConfigSchema = z.object({
  selfLoad: flag,
  directLoad: flag,
  selfEncashment: flag,
  directEncashment: flag,
  kycDocRequired: flag,
  travelDocRequired: flag,
  splitTxnAllowed: flag,
  interCurrencyTransferAllowed: flag,
  loadRefNumberRequired: flag,
  encashmentRefNumberRequired: flag,
  defaultEmailAlert: flag,
  defaultDomesticSmsAlert: flag,
  defaultInternationalSmsAlert: flag,
  ecomAllowed: flag,
  atmAllowed: flag,
  posAllowed: flag,
  clAllowed: flag,
  ecomDefault: flag,
  atmDefault: flag,
  posDefault: flag,
  clDefault: flag,
  zoopEnabled: flag,
});

/** Response of M1 and M2 (docs/reference/card91.md §2). Contains PII: never log it. */
export const customerDetailSchema = z.object({
  id: nonEmptyText,
  firstName: text,
  middleName: text,
  lastName: text,
  nameOnCard: text,
  dob: optionalDayMonthYear,
  gender: text,
  mobile: requiredText,
  internationalMobileNumber: text,
  email: text,
  status: text,
  currencyCode: text,
  lrsLimit: optionalDecimal,
  usedLimit: optionalDecimal,
  availableLimit: optionalDecimal,
  panValue: text,
  passportValue: text,
  passportFileNumber: text,
  passportValidity: optionalDayMonthYear,
  documents: list(documentSchema),
  addresses: list(addressSchema),
  employmentDetails: list(z.unknown()),
  cardPrograms: list(cardProgramSchema),
  organizationConfig: organizationConfigSchema.nullish(),
});

/** M3 element. `balance` and `priority` are strings on the wire; `isActive` is a status string, not a boolean. */
export const currencyBalanceSchema = z.object({
  balance: decimal,
  currencyCode: requiredText,
  priority: code,
  isActive: text,
});

export const currencyBalancesSchema = z.object({
  accountCurrencyBalanceList: list(currencyBalanceSchema),
  splitTxnAllowed: flag,
});

const pageMetadata = {
  recordsCurrentPage: count,
  currentPage: count,
  totalPages: count,
  totalRecords: count,
};

/** M4 element. `switch_rc` keeps its snake_case wire name (the one field that has it). */
export const transactionSchema = z.object({
  id: identifier,
  txnId: requiredText,
  txnType: text,
  txnCategory: text,
  currencyCode: text,
  amount: decimal,
  baseCurrencyAmount: optionalDecimal,
  baseCurrencyCode: text,
  exchangeRate: optionalDecimal,
  overallMarkup: optionalDecimal,
  stan: code,
  rrn: code,
  rc: code,
  switch_rc: code,
  displayMessage: text,
  eventType: text,
  mid: code,
  tid: code,
  mcc: code,
  reversalCount: optionalCount,
  refundCount: optionalCount,
  cardId: text,
  customerId: unknownScalar,
  network: text,
  settled: flag,
  fromAccount: unknownScalar,
  toAccount: unknownScalar,
  merchantName: text,
  merchantCity: text,
  merchantRegion: text,
  merchantCountryCode: text,
  merchantAddress: unknownScalar,
  merchantPostalCode: code,
  merchantPhone: unknownScalar,
  latitude: text,
  longitude: text,
  orgCardProgramMapId: unknownScalar,
  nameOnCard: text,
  cardLastFour: code,
  aid: unknownScalar,
  tvr: unknownScalar,
  settlementDate: unknownScalar,
  transmissionDate: spacedDateTime.nullish(),
  localTxnDate: unknownScalar,
  txnDate: spacedDateTime,
  orgId: text,
  switchTxnId: code,
  switchRefTxnId: code,
  txnStatus: text,
  amountFlow: unknownScalar,
  entityType: text,
  entityId: optionalIdentifier,
  node: z.number().nullish(),
  referenceTxnId: unknownScalar,
});

export const transactionPageSchema = z.object({
  ...pageMetadata,
  accountId: optionalIdentifier,
  transactions: list(transactionSchema),
});

/** One currency's limits (M5, and the shape M6 answers with). */
export const cardLimitSchema = z.object({
  currency: requiredText,
  perAtmTxnLimit: decimal,
  perOnlineTxnLimit: decimal,
  perPosTxnLimit: decimal,
  perContactlessTxnLimit: decimal,
  maxPerAtmTxnLimit: decimal,
  maxPerOnlineTxnLimit: decimal,
  maxPerPosTxnLimit: decimal,
  maxPerContactlessTxnLimit: decimal,
  isContactLessAllowed: requiredFlag,
  isAtmLimitEnabled: requiredFlag,
  isOnlineLimitEnabled: requiredFlag,
  isPosLimitEnabled: requiredFlag,
});

export const cardSettingsSchema = z.object({ limits: z.array(cardLimitSchema) });

/** M9 element (`LOAD`/`RELOAD` ids `CLID…`, `ENCASH` ids `ENCSH…`). */
export const cardLoadSchema = z.object({
  cardLoadId: requiredText,
  type: requiredText,
  status: requiredText,
  currencyCode: requiredText,
  fxAmount: decimal,
  baseCurrencyAmount: optionalDecimal,
  account: optionalIdentifier,
  referenceNumber: optionalIdentifier,
  txnDate: localIsoDateTime,
  moneyReceivedDate: localIsoDateTime.nullish(),
});

export const cardLoadPageSchema = z.object({
  ...pageMetadata,
  cardLoadList: list(cardLoadSchema),
});

/** M10 element. `id` is null in every sample: `mctcTripId` is the id. */
export const tripSchema = z.object({
  id: optionalIdentifier,
  mctcTripId: requiredText,
  status: text,
  customerId: text,
  tripStartDate: yearMonthDay,
  tripEndDate: yearMonthDay,
  travelPurposeCode: text,
  orgId: text,
  /** Free text in the samples (`"usa"`, `"weqwe"`), not a validated ISO code. */
  destinationCountryCode: text,
  tripName: text,
  maxLoadLimit: optionalDecimal,
});

/** M10 answers with a bare array and no paging metadata. */
export const tripListSchema = z.array(tripSchema);

export type Card = z.infer<typeof cardSchema>;
export type CardProgram = z.infer<typeof cardProgramSchema>;
export type CustomerDetail = z.infer<typeof customerDetailSchema>;
export type CurrencyBalance = z.infer<typeof currencyBalanceSchema>;
export type CurrencyBalances = z.infer<typeof currencyBalancesSchema>;
export type Transaction = z.infer<typeof transactionSchema>;
export type TransactionPage = z.infer<typeof transactionPageSchema>;
export type CardLimit = z.infer<typeof cardLimitSchema>;
export type CardSettings = z.infer<typeof cardSettingsSchema>;
export type CardLoad = z.infer<typeof cardLoadSchema>;
export type CardLoadPage = z.infer<typeof cardLoadPageSchema>;
export type Trip = z.infer<typeof tripSchema>;
