import { createHash } from 'node:crypto';

/**
 * What of a courier's text may reach a log: codes, ids and lengths, never free text. A value that
 * is not provably a code is logged as its length and the start of its SHA-256: enough to match it
 * with what the courier reports sending, nothing to read.
 */
export const fingerprint = (text: string): string => `(${text.length} characters, sha256 ${createHash('sha256').update(text).digest('hex').slice(0, 12)})`;

/**
 * Codes are what an operator needs to fix a mapping, but a code field holds whatever the courier put
 * in it ("Handed to <a name and an address>"): only a code-shaped value (upper-case letters, digits,
 * `_ . / -`, at most 32) is logged as is.
 */
const CODE_SHAPED = /^[A-Z0-9][A-Z0-9_./-]{0,31}$/;

export const loggableCode = (code: string): string => (CODE_SHAPED.test(code) ? code : fingerprint(code));
