import * as z from 'zod';

/**
 * Source addresses a courier pushes from, when it publishes them: single addresses or CIDR blocks.
 * Checked against API Gateway's TCP peer, or behind CloudFront against the viewer address
 * CloudFront reports on requests that carry the origin secret: never a header a caller could set.
 */
const sourceIps = z
  .array(z.union([z.cidrv4(), z.cidrv6(), z.ipv4(), z.ipv6()], { error: 'sourceIps entries must be IP addresses or CIDR blocks' }))
  .min(1)
  .optional();

/** Today's mode, and the default: HMAC-SHA256 over the timestamp and the exact body (signature.ts). */
const hmacAuth = z.object({ mode: z.literal('hmac'), sourceIps });

/**
 * A static token in a named header, for couriers that cannot sign (Delhivery, Shiprocket, Blue
 * Dart's push): compared in constant time with the secret's `current` and `previous` values. It is
 * weaker than HMAC (a captured request can be replayed with a new body), so choosing it is a
 * written, per-courier decision: `reason` says why.
 */
const tokenAuth = z.object({
  mode: z.literal('token'),
  /** The header the courier sends, in lower case (API Gateway lower-cases header names). */
  header: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, 'header must be a lower-case header name')
    .refine((name) => !['content-type', 'content-length', 'host', 'x-signature', 'x-signature-timestamp'].includes(name), 'header must be one that carries only the token'),
  /** What precedes the token in the header value (case-insensitive), e.g. `Token ` for `Authorization: Token …`. */
  prefix: z.string().max(32).default(''),
  reason: z.string().trim().min(20, 'a token integration must say why it is not on HMAC (reason, at least 20 characters)'),
  sourceIps,
});

export const courierAuth = z.discriminatedUnion('mode', [hmacAuth, tokenAuth]);
export type CourierAuth = z.infer<typeof courierAuth>;
