import { isIP } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { inlineSharedSecret, matchesSharedSecret, secretsManagerSharedSecret, type SharedSecretSource } from '../security/shared-secret.js';

/**
 * Where a stage has CloudFront in front of its HTTP API (infra/README.md, "No way around the
 * edge"), CloudFront adds this header to every origin request with a value from Secrets Manager;
 * a request without it reached API Gateway directly, past WAF, and is refused.
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/**
 * The viewer's address and source port as CloudFront saw them (`198.51.100.10:46532`,
 * `2001:db8::1:46532`). CloudFront sets it itself; only a request that proved it came through
 * CloudFront may be believed about it.
 */
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';

/** The request came the way the stage expects; `clientIp` is the caller's address, as far as it is known. */
export type OriginVerdict = { ok: true; clientIp: string | undefined } | { ok: false };
export type OriginCheck = (event: APIGatewayProxyEventV2) => Promise<OriginVerdict>;

/** The address of a `CloudFront-Viewer-Address` value (the port stripped; IPv6 with or without brackets), or undefined. */
export function viewerIp(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const bracketed = /^\[([^\]]+)\]:\d{1,5}$/.exec(value);
  const colon = value.lastIndexOf(':');
  const address = bracketed ? bracketed[1]! : colon > 0 && /^\d{1,5}$/.test(value.slice(colon + 1)) ? value.slice(0, colon) : undefined;
  return address !== undefined && isIP(address) !== 0 ? address : undefined;
}

/** No edge in front (dev, local): the caller is API Gateway's TCP peer, which no header can change. */
export const directOrigin: OriginCheck = async (event) => ({ ok: true, clientIp: event.requestContext?.http?.sourceIp });

/**
 * Behind CloudFront: the origin secret must match (constant time, current or previous value);
 * then, and only then, the caller is the viewer CloudFront reports. API Gateway's own `sourceIp`
 * is CloudFront's address here, and `X-Forwarded-For` is whatever the viewer wrote: neither is used.
 */
export function edgeOrigin(secrets: SharedSecretSource): OriginCheck {
  return async (event) => {
    const headers = event.headers ?? {};
    if (!matchesSharedSecret(headers[ORIGIN_VERIFY_HEADER], await secrets())) return { ok: false };
    return { ok: true, clientIp: viewerIp(headers[VIEWER_ADDRESS_HEADER]) };
  };
}

export interface OriginSettings {
  /** Secrets Manager secret `{"current", "previous"?}` CloudFront's origin header carries: set on stages behind the edge. */
  ORIGIN_VERIFY_SECRET_ID?: string | undefined;
  /** The same document inline, for local runs and tests only. */
  ORIGIN_VERIFY_SECRET_JSON?: string | undefined;
}

/** The origin check a function's environment asks for: the edge's when it names an origin secret, else none. */
export function originCheckFrom(env: OriginSettings): OriginCheck {
  if (env.ORIGIN_VERIFY_SECRET_JSON) return edgeOrigin(inlineSharedSecret(env.ORIGIN_VERIFY_SECRET_JSON, 'ORIGIN_VERIFY_SECRET_JSON'));
  if (env.ORIGIN_VERIFY_SECRET_ID) return edgeOrigin(secretsManagerSharedSecret(env.ORIGIN_VERIFY_SECRET_ID));
  return directOrigin;
}
