/**
 * Masking of personal and card data for every log line (Powertools Logger `jsonReplacerFn`).
 * Two nets: by key (fields we know carry PII) and by value shape (a PAN, an email or a mobile
 * that slipped into a free-text field), so a new field cannot leak by accident.
 */

/** Keys whose values are always hidden, whatever they look like. Compared in lower case. */
const SECRET_KEYS = new Set([
  'password',
  'secret',
  'authorization',
  'token',
  'sdkauthtoken',
  'id_token',
  'jwt_token',
  'encryptedcardnumber',
  'cvv',
  'pin',
  // Fully hidden: a date of birth's tail still shows day or month; a document URL opens the document.
  'dob',
  'docurl',
]);

/** Keys whose values are masked keeping a short tail, useful for support. */
const PARTIAL_KEYS = new Set([
  'cardnumber',
  'pan',
  'mobile',
  'contactno',
  'phone',
  'email',
  'emailid',
  'number',
  'documentno',
  'kycnumber',
  'passportnumber',
  'line1',
  'line2',
  'line3',
  'address1',
  'address2',
  'address3',
  'pincode',
  'firstname',
  'middlename',
  'lastname',
  // Card91 customer detail (docs/reference/card91.md §2): PAN, passport, names and contact details.
  'panvalue',
  'passportvalue',
  'passportfilenumber',
  'passportvalidity',
  'nameoncard',
  'internationalmobilenumber',
  'landmark',
]);

/**
 * Identifiers we log on purpose for correlation; their digits are not a phone or a card. `rrn` and
 * `stan` are the network references of a card transaction, which support quotes in disputes.
 */
const IDENTIFIER_KEYS = new Set(['kitno', 'entityid', 'messageid', 'eventid', 'id', 'correlation_id', 'awb', 'tenant', 'function_request_id', 'xray_trace_id', 'rrn', 'stan']);

const PAN = /\b\d{6}[\dX*]{3,9}\d{4}\b/g;
const EMAIL = /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g;
const LONG_DIGITS = /\b\+?\d{10,19}\b/g;
/** A card number or an Aadhaar number written in groups (`4111 1111 1111 1111`, `3782-822463-10005`, `2345 6789 0123`). */
const GROUPED_DIGITS = /\b\d{4}(?:[ -]\d{4}){2,3}\b|\b\d{4}[ -]\d{6}[ -]\d{5}\b/g;
/** An Indian mobile number, with or without +91 or 0, whole or split after five digits (`+91 98765 43210`). */
const MOBILE = /(?:\+91[ -]?|(?<![\w+])0?)[6-9]\d{4}[ -]?\d{5}(?!\d)/g;
/** A PAN, the Indian tax id (`ABCDE1234F`). */
const TAX_PAN = /\b[a-z]{5}\d{4}[a-z]\b/gi;

/** `••••6384`: the last four characters only, never more than a quarter of the value. */
export function maskTail(value: string): string {
  const keep = value.length >= 8 ? 4 : 0;
  return `${'•'.repeat(Math.max(4, value.length - keep))}${value.slice(value.length - keep)}`;
}

/** Masks card-, Aadhaar-, phone-, email- and tax-id-shaped substrings in free text. */
export function maskText(text: string): string {
  return text
    .replace(EMAIL, '«email»')
    .replace(GROUPED_DIGITS, (digits) => maskTail(digits.replace(/[ -]/g, '')))
    .replace(MOBILE, (mobile) => maskTail(mobile.replace(/[ +-]/g, '')))
    .replace(PAN, (pan) => maskTail(pan))
    .replace(LONG_DIGITS, (digits) => maskTail(digits))
    .replace(TAX_PAN, '«pan»');
}

/** JSON replacer for the logger: masks by key first, then by value shape. */
export function maskingReplacer(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const lower = key.toLowerCase();
  if (SECRET_KEYS.has(lower)) return '«redacted»';
  if (PARTIAL_KEYS.has(lower) && (typeof value === 'string' || typeof value === 'number')) return maskTail(String(value));
  if (typeof value === 'string') return IDENTIFIER_KEYS.has(lower) ? value : maskText(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Deep-masked copy of any value, for the places that print outside the logger (operator CLI). */
export const maskDeep = <T>(value: T): T => JSON.parse(JSON.stringify(value, maskingReplacer)) as T;
