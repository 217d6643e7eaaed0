import { createHash, timingSafeEqual } from 'node:crypto';

/** Why a token was refused: for our logs and metrics only, never for the caller. */
export type TokenFailure = 'missing' | 'malformed' | 'mismatch';

export type TokenVerdict = { ok: true } | { ok: false; reason: TokenFailure };

/** Fixed-length digests, so the comparison takes the same time whatever the length of either side. */
const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Checks a static token sent in a header (`<prefix><token>`) against every valid value: the
 * current one and, during a rotation, the previous one. Every value is compared, in constant time,
 * whether or not an earlier one matched.
 */
export function verifyToken(headerValue: string | undefined, options: { prefix: string; tokens: readonly string[] }): TokenVerdict {
  if (!headerValue) return { ok: false, reason: 'missing' };
  const { prefix } = options;
  // The prefix is public (an auth scheme such as `Token `), so comparing it plainly reveals nothing.
  if (headerValue.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return { ok: false, reason: 'malformed' };
  const presented = digest(headerValue.slice(prefix.length));
  let matched = false;
  for (const token of options.tokens) matched = timingSafeEqual(presented, digest(token)) || matched;
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}
