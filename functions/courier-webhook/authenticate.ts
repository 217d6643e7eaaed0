import type { CourierAuth } from '../../shared/courier/auth-settings.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature, type SignatureFailure } from '../../shared/courier/signature.js';
import { sourceAllowed } from './source-ip.js';
import { verifyToken, type TokenFailure } from './token.js';

/** What the courier proved: a signed timestamp (HMAC), or only the possession of the token. */
export type Credentials = { kind: 'signed'; timestamp: number } | { kind: 'token' };

/** Why a request was refused: for our logs and metrics only; the caller always gets the same 401. */
export type AuthFailure = 'sourceIp' | `signature:${SignatureFailure}` | `token:${TokenFailure}`;

export type AuthVerdict = { ok: true; credentials: Credentials } | { ok: false; reason: AuthFailure };

export interface AuthRequest {
  header: (name: string) => string | undefined;
  /**
   * The caller's address as the origin check established it (shared/edge/origin.ts): API Gateway's
   * TCP peer without an edge, CloudFront's viewer address behind one. Never a request header.
   */
  sourceIp: string | undefined;
  /** The exact bytes received. */
  body: Uint8Array;
}

export interface AuthOptions {
  /** The integration's valid keys or tokens, current first. */
  secrets: readonly string[];
  nowSeconds: number;
  /** How far a signed timestamp may be from our clock (HMAC only). */
  toleranceSeconds: number;
}

/** Authenticates a request by its integration's mode, the source-IP allow-list first when there is one. */
export function authenticate(auth: CourierAuth, request: AuthRequest, options: AuthOptions): AuthVerdict {
  if (auth.sourceIps && !sourceAllowed(auth.sourceIps, request.sourceIp)) return { ok: false, reason: 'sourceIp' };
  if (auth.mode === 'hmac') {
    const verdict = verifySignature(
      { timestamp: request.header(TIMESTAMP_HEADER), signature: request.header(SIGNATURE_HEADER), body: request.body },
      { secrets: options.secrets, nowSeconds: options.nowSeconds, toleranceSeconds: options.toleranceSeconds },
    );
    return verdict.ok ? { ok: true, credentials: { kind: 'signed', timestamp: verdict.timestamp } } : { ok: false, reason: `signature:${verdict.reason}` };
  }
  const verdict = verifyToken(request.header(auth.header), { prefix: auth.prefix, tokens: options.secrets });
  return verdict.ok ? { ok: true, credentials: { kind: 'token' } } : { ok: false, reason: `token:${verdict.reason}` };
}
