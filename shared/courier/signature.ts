import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Request signatures, the one implementation shared by the webhook and the operator's signer:
 *
 *   x-signature-timestamp: <unix seconds>
 *   x-signature:           v1=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>[, v1=<hex>…]
 *
 * The raw body is the exact bytes received (after base64 decoding), never a re-serialisation.
 * Several `v1=` values are allowed so a courier can sign with both keys while a rotation is under
 * way; other schemes are ignored so a future `v2` can be introduced without breaking this one.
 */
export const TIMESTAMP_HEADER = 'x-signature-timestamp';
export const SIGNATURE_HEADER = 'x-signature';
const SCHEME = 'v1';
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const UNIX_SECONDS = /^\d{1,12}$/;
/** More candidates than a rotation needs is not a genuine courier; bounds the work per request. */
const MAX_CANDIDATES = 4;

export function computeSignature(secret: string, timestamp: string, body: Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The `x-signature` value for one secret. */
export const signatureHeaderValue = (secret: string, timestamp: string, body: Uint8Array): string => `${SCHEME}=${computeSignature(secret, timestamp, body)}`;

/** Why a request was refused: for our logs and metrics only, never for the caller. */
export type SignatureFailure = 'missing' | 'malformed' | 'stale' | 'mismatch';

export type SignatureVerdict = { ok: true; timestamp: number } | { ok: false; reason: SignatureFailure };

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  body: Uint8Array;
}

export interface VerifyOptions {
  /** Every secret valid right now: the current one and, during a rotation, the previous one. */
  secrets: readonly string[];
  nowSeconds: number;
  toleranceSeconds: number;
}

/** The `v1` signatures of a header value, as 32-byte buffers; undefined when none is well-formed. */
function candidates(header: string): Buffer[] | undefined {
  const found: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== SCHEME) continue;
    const hex = part
      .slice(separator + 1)
      .trim()
      .toLowerCase();
    if (!HEX_SHA256.test(hex)) return undefined;
    found.push(Buffer.from(hex, 'hex'));
  }
  return found.length > 0 && found.length <= MAX_CANDIDATES ? found : undefined;
}

/**
 * Checks the timestamp window first (a stale request is refused without touching a secret), then
 * compares every candidate with every valid secret in constant time. Stopping at the first match
 * tells a caller only which of its own signatures was right, nothing about our secrets.
 */
export function verifySignature(request: SignedRequest, options: VerifyOptions): SignatureVerdict {
  if (!request.timestamp || !request.signature) return { ok: false, reason: 'missing' };
  const provided = candidates(request.signature);
  if (!UNIX_SECONDS.test(request.timestamp) || provided === undefined) return { ok: false, reason: 'malformed' };
  const timestamp = Number(request.timestamp);
  if (Math.abs(options.nowSeconds - timestamp) > options.toleranceSeconds) return { ok: false, reason: 'stale' };
  for (const secret of options.secrets) {
    const expected = Buffer.from(computeSignature(secret, request.timestamp, request.body), 'hex');
    if (provided.some((candidate) => timingSafeEqual(candidate, expected))) return { ok: true, timestamp };
  }
  return { ok: false, reason: 'mismatch' };
}
