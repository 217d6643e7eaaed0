import { createHash, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { getSecret } from '../config/secrets.js';

/**
 * A secret shared with a caller that sends it verbatim in a header (Card91's auth-URL calls,
 * CloudFront's origin requests). Rotation without downtime: store the new value as `current` and
 * the old one as `previous`, give the caller the new value, then drop `previous`; both are
 * accepted in between.
 */
export const sharedSecretDocument = z.object({
  current: z.string().min(32, 'a shared secret must have at least 32 characters'),
  previous: z.string().min(32, 'a shared secret must have at least 32 characters').optional(),
});
export type SharedSecretDocument = z.infer<typeof sharedSecretDocument>;

/** Every value accepted right now, current first. */
export type SharedSecretSource = () => Promise<readonly string[]>;

/** Long enough to spare Secrets Manager, short enough that a rotation reaches every instance within minutes. */
export const SHARED_SECRET_CACHE_SECONDS = 300;

const valuesOf = (document: SharedSecretDocument): string[] => (document.previous ? [document.current, document.previous] : [document.current]);

/** Validates a document; the error names where it came from, never its content. */
function parseDocument(value: unknown, origin: string): string[] {
  const parsed = sharedSecretDocument.safeParse(value);
  if (!parsed.success) throw new Error(`${origin} does not hold {"current": "≥32 characters", "previous"?: "…"}`);
  return valuesOf(parsed.data);
}

/** Secrets Manager through the Powertools cache: one read per secret per cache age and instance. */
export function secretsManagerSharedSecret(secretId: string): SharedSecretSource {
  return async () => parseDocument(await getSecret(secretId, { maxAge: SHARED_SECRET_CACHE_SECONDS, transform: 'json' }), `secret ${secretId}`);
}

/** Local runs and tests: the document inline. */
export function inlineSharedSecret(json: string, name: string): SharedSecretSource {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    // JSON.parse quotes the input in its message: never let a secret reach a log that way.
    throw new Error(`${name} is not valid JSON`);
  }
  const values = parseDocument(document, name);
  return async () => values;
}

/** Fixed-length digests, so the comparison takes the same time whatever the length of either side. */
const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * True when `presented` equals one of `accepted`. Every value is compared, in constant time,
 * whether or not an earlier one matched: neither the length nor the position of a match shows.
 */
export function matchesSharedSecret(presented: string | undefined, accepted: readonly string[]): boolean {
  if (!presented) return false;
  const presentedDigest = digest(presented);
  let matched = false;
  for (const value of accepted) matched = timingSafeEqual(presentedDigest, digest(value)) || matched;
  return matched;
}
