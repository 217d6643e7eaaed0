import * as z from 'zod';

/**
 * Upper bounds of everything an event may carry: the body, every string, every list. A field
 * without one let a 200,000-character first name through validation and into DCMS.
 *
 * DCMS publishes types and samples but no field lengths, and Card91 only formats, so where no
 * format decides, a bound is chosen generous enough never to refuse what a core-banking system
 * genuinely holds, and tight enough that nothing absurd reaches a platform, a log line or a
 * dead-letter attribute. Changing one changes the published contract: run `npm run contracts`.
 */

// The body

/**
 * Largest event body accepted, in UTF-8 bytes, checked before JSON.parse. The field bounds below
 * are the contract (the largest event they admit, every string at its bound and every list full,
 * is about 21 KiB); this guards the parser. 256 KiB is what SNS and EventBridge deliver and what
 * SQS capped a message at until 2025 (it now takes 1 MiB, so the queue no longer guards us). Up to
 * it, a body that breaks a field bound (a 200,000-character name) is refused naming that field.
 */
export const EVENT_BODY_MAX_BYTES = 256 * 1024;

// CloudEvents envelope

/** Event ids double as SQS FIFO deduplication ids, which are at most 128 characters. */
export const EVENT_ID_MAX = 128;
/** `datacontenttype`: `application/json; charset=utf-8` is 31 characters; room for other parameters. */
export const DATA_CONTENT_TYPE_MAX = 128;
/** `source` is a URI reference (`urn:acme-bank:cbs`, `urn:courier:<64-character courier name>`). */
export const EVENT_SOURCE_MAX = 256;
/** Reverse-DNS type names (`bank.card.control.requested.v1` is 30 characters). */
export const EVENT_TYPE_MAX = 128;
/** `subject`: what the event is about (our courier events put the kit number there). */
export const EVENT_SUBJECT_MAX = 256;
/** DCMS tenant names (`ACME_BANK`), as the `tenant` header carries them. */
export const TENANT_MAX = 64;
/** Calendar dates, `YYYY-MM-DD` (`dob`, document expiry). */
export const DATE_MAX = 10;
/**
 * RFC 3339 instants: 19 characters of date and time, a fraction down to nanoseconds (10) and an
 * offset (6). Finer fractions carry no meaning and are refused rather than stored.
 */
export const TIMESTAMP_MAX = 35;
/** Any other (extension) attribute holding a string, e.g. `traceparent` (55) or `dataschema`. */
export const EXTENSION_ATTRIBUTE_MAX = 256;

// Identifiers

/** DCMS `entityId`: the bank's CIF number. */
export const ENTITY_ID_MAX = 64;
/** Account numbers: 17 digits in DCMS samples; the contract has always allowed 1 to 20 digits. */
export const ACCOUNT_NO_MAX = 20;
/** DCMS `kitNo` (`4240181595` in the reference). */
export const KIT_NO_MAX = 32;
/** Card91 card ids (opaque strings). */
export const CARD_ID_MAX = 64;
/** Courier waybill (AWB) numbers: 11 digits in the Blue Dart samples; as the courier webhook reads them. */
export const AWB_MAX = 64;
/** Courier name, as configured for the courier webhook (1 to 64 characters). */
export const COURIER_NAME_MAX = 64;

// A person

/** First, middle and last name, each. */
export const NAME_MAX = 100;
/** Address lines 1 to 3 (`Olympia Quest, Plot No:C1 & C56, SIDCO` in the reference), each. */
export const ADDRESS_LINE_MAX = 255;
/** City, district, state and country names (DCMS wants the country's name, not its ISO code). */
export const PLACE_NAME_MAX = 100;
/** Postal codes: 6 digits in India (`600032`), up to 10 characters abroad. */
export const PINCODE_MAX = 10;
/** Mobile numbers: at most 15 digits (ITU-T E.164), plus an optional leading `+`. */
export const MOBILE_MAX = 16;
/** E-mail addresses: 254 characters (RFC 5321's 256-character path, less its angle brackets). */
export const EMAIL_MAX = 254;
/** KYC document type (`PAN`, `AADHAAR`, `PASSPORT`, `DRIVING_LICENCE`…). */
export const DOCUMENT_TYPE_MAX = 50;
/**
 * KYC document numbers: PAN 10, passport 8, Aadhaar 12, driving licence 15 or 16 (more with
 * separators); 40 also admits a UUID-length (36) reference a bank may keep instead of an Aadhaar number.
 */
export const DOCUMENT_NUMBER_MAX = 40;
/** Short codes: account type (`SAVING`), account status (`ACTIVE`), scheme code (`2003`). */
export const CODE_MAX = 32;
/** ISO 4217 currency codes. */
export const CURRENCY_MAX = 3;
/** Decimal amounts as text: 15 integer digits, a point and 4 decimals (Card91 answers with 4). */
export const AMOUNT_MAX = 20;

// Courier scans

/** Scan location; the courier webhook cuts longer ones to this length. */
export const LOCATION_MAX = 128;
/** Free-text scan description; the courier webhook cuts longer ones to this length. */
export const REMARKS_MAX = 512;

// Lists

/** A customer's addresses: DCMS knows two categories; room for a few more a bank may keep. */
export const ADDRESSES_MAX = 5;
/** A customer's contacts (mobile numbers and e-mails). */
export const CONTACTS_MAX = 5;
/** KYC documents: PAN, Aadhaar, passport, voter id, driving licence…, each at most once or twice. */
export const KYC_DOCUMENTS_MAX = 10;
/** Accounts linked in one `/register`: current, savings, deposits of one customer. */
export const ACCOUNTS_MAX = 50;
/** Card91 limits: one entry per currency of the card program (multi-currency cards carry several). */
export const CARD_LIMITS_MAX = 32;

// Builders: a bound and the message that names it, never the value

/** A string of at most `max` characters; the message names the bound, never the value. */
export const boundedString = (max: number) => z.string().max(max, `at most ${max} characters`);

/**
 * A bounded string of a given form. A string over the bound gets that one issue and the pattern is
 * not run over it. (Not for a union's branch: zod reports an aborted branch as a bare "Invalid input".)
 */
export const boundedPattern = (max: number, pattern: RegExp, message: string) =>
  z
    .string()
    .max(max, { message: `at most ${max} characters`, abort: true })
    .regex(pattern, message);

/** A list of at most `max` items. */
export const boundedList = <Item extends z.ZodType>(item: Item, max: number) => z.array(item).max(max, `at most ${max} items`);
