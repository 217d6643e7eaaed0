import { maskTail, maskText } from './masking.js';

/**
 * What a person may read of an event, a dead letter, a ledger entry or a Card91 record: the policy
 * of everything printed for operators (the ops CLI, the local run summary and report), whose output
 * ends up pasted into tickets. It is an allowlist, unlike the log masking it builds on: a field is
 * shown only when it is known to be safe (identifiers, codes, categories, types, statuses,
 * timestamps, amounts); free text known to be useful (a failure's reason) is shown with the
 * personal data it quotes masked; every other string is masked, so a field nobody has reviewed
 * (a CloudEvent `subject`, an extension attribute, `data.fatherName`) never shows.
 */

export const MASKED = '«masked»';
const REDACTED = '«redacted»';

/** Keys compared in lower case. Shown whole: they name things, never people. */
const SAFE_KEYS = new Set([
  // CloudEvents context attributes of our contracts (`subject` is not one: producers put anything in it).
  'id',
  'type',
  'source',
  'specversion',
  'time',
  'tenant',
  'datacontenttype',
  'dataschema',
  'traceparent',
  'tracestate',
  // Our identifiers and codes.
  'kitno',
  'awb',
  'courier',
  'action',
  'outcome',
  'schemecode',
  'isprimary',
  'country',
  'queue',
  'mode',
  'by',
  'function',
  'attempts',
  'retries',
  'line',
  // Card91: network references quoted in disputes, the card's last four, the product and the merchant (a business).
  'rrn',
  'stan',
  'lastfour',
  'cardlastfour',
  'programname',
  'merchantname',
  'merchantcity',
  'merchantcountrycode',
  'mcc',
  'referencenumber',
  'priority',
  'balance',
]);

/**
 * Suffixes of safe keys in camelCase (`occurredAt`, `cardType`, `txnStatus`) or snake_case
 * (`correlation_id`), or the whole key (`status`).
 */
const SAFE_SUFFIX =
  /(?:^|[a-z\d])(?:Id|Ids|At|Date|Time|Until|Status|State|Code|Type|Category|Count|Limit|Amount|Currency)$|(?:^|_)(?:id|at|time|code|type|status)$|^(?:status|state|code|category|count|amount|currency)$/;

/** Words that make a key personal whatever its suffix: `panId`, `birthDate`, `nameType`, `accountId`. */
const PERSONAL_WORDS = /name|mobile|phone|email|pan|aadha{1,2}r|passport|address|dob|birth|father|mother|spouse|kyc|doc|voter|pin|account/i;

/** Free text worth reading, shown with the personal data it quotes masked (see maskText). */
const FREE_TEXT_KEYS = new Set(['reason', 'message', 'displaymessage', 'description', 'example', 'error']);

/** Numbers support quotes by their tail: cards, phones, accounts, identity documents. */
const TAIL_KEYS = new Set(['cardnumber', 'mobile', 'contactno', 'phone', 'internationalmobilenumber', 'accountno', 'accountid', 'number', 'documentno', 'kycnumber', 'panvalue', 'passportvalue']);

/** Never shown in any form. */
const SECRET_KEYS = new Set(['password', 'secret', 'authorization', 'token', 'sdkauthtoken', 'id_token', 'jwt_token', 'encryptedcardnumber', 'cvv', 'pin', 'docurl']);

/** An integer this long under an unknown key may be a phone, a card or an Aadhaar number. */
const LONG_NUMBER = 1_000_000_000;

type Verdict = 'secret' | 'tail' | 'safe' | 'freeText' | 'masked';

function verdict(key: string): Verdict {
  const lower = key.toLowerCase();
  if (SECRET_KEYS.has(lower)) return 'secret';
  if (TAIL_KEYS.has(lower)) return 'tail';
  if (SAFE_KEYS.has(lower)) return 'safe';
  if (FREE_TEXT_KEYS.has(lower)) return 'freeText';
  if (SAFE_SUFFIX.test(key) && !PERSONAL_WORDS.test(key)) return 'safe';
  return 'masked';
}

function maskLeaf(key: string, value: string | number): string | number {
  switch (verdict(key)) {
    case 'secret':
      return REDACTED;
    case 'tail':
      return maskTail(String(value));
    case 'safe':
      return value;
    case 'freeText':
      return typeof value === 'string' ? maskText(value) : value;
    case 'masked':
      if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) >= LONG_NUMBER ? maskTail(String(value)) : value;
      return value === '' ? value : MASKED;
  }
}

function walk(key: string, value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'number') return maskLeaf(key, value);
  if (typeof value === 'bigint') return maskLeaf(key, value.toString());
  // An array's items are read under the array's key (`eventIds: [...]`, `addresses: [{...}]`).
  if (Array.isArray(value)) return value.map((item) => walk(key, item));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([name, field]) => [name, walk(name, field)]));
  return value;
}

/**
 * A copy of any JSON-like value as an operator may read it. `rootKey` names the value when it is a
 * bare string or number (a reason, an id); objects and arrays are judged key by key.
 */
export function maskPersonalData<T>(value: T, rootKey = ''): T {
  return walk(rootKey, value) as T;
}
