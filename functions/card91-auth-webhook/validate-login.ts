/**
 * The decision behind our auth-URL webhook, free of HTTP and AWS: given the payload Card91 POSTs
 * during a customer login (M1) and our current secrets, is the sdkAuthToken genuine, unexpired and
 * minted for that mobile?
 *
 * Payload fields (docs/reference/card91.md §1.2, [c91: auth-url-configuration] and [c91: cardholder-token-generation]):
 *   - `mobile`: "91…" — the auth-URL page says it always begins with 91; required.
 *   - the token: the auth-URL page's example payload is `{unique_id, mobile, sdk, org_id,
 *     card_prog_id}` and carries no field named after the token, yet the token-generation page
 *     says the webhook validates "the sdkToken … against the mobile number (which is also part of
 *     the payload)". `unique_id` is described as the value "passed while loading the SDK", i.e.
 *     our app's token. Whether MCTC login sends that same payload is unconfirmed (docs/reference/card91.md §5.3),
 *     so we read the token from `sdkAuthToken` (the name M1 uses for this very value) and fall
 *     back to `unique_id`. Accepting either name does not weaken the check: whichever is present
 *     must still verify.
 *   - `sdk`, `org_id`, `card_prog_id`: informational; not needed for the decision and not checked
 *     (their MCTC values are undocumented).
 */
import * as z from 'zod';
import { mobileSchema } from '../../shared/card91/request-schemas.js';
import { verifySdkAuthToken } from '../../shared/card91/sdk-auth-token.js';
import type { SdkAuthSecret, SdkAuthTokenFailure } from '../../shared/card91/sdk-auth-token.js';

/** Far above any genuine payload (a few hundred bytes); bigger bodies are refused unread. */
const MAX_BODY_LENGTH = 8_192;

const loginValidationPayloadSchema = z
  .object({
    mobile: mobileSchema,
    sdkAuthToken: z.string().min(1).optional(),
    unique_id: z.string().min(1).optional(),
  })
  .transform(({ mobile, sdkAuthToken, unique_id }, ctx) => {
    const token = sdkAuthToken ?? unique_id;
    if (token === undefined) {
      ctx.addIssue({ code: 'custom', message: 'token missing' });
      return z.NEVER;
    }
    return { mobile, token };
  });

export type LoginValidationPayload = z.output<typeof loginValidationPayloadSchema>;

/** The request's identity claims, or undefined when the body is not a well-formed validation request. */
export function parseLoginValidationRequest(rawBody: string | undefined): LoginValidationPayload | undefined {
  if (rawBody === undefined || rawBody.length === 0 || rawBody.length > MAX_BODY_LENGTH) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return undefined;
  }
  const parsed = loginValidationPayloadSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** An accepted token carries its expiry: until then, the webhook remembers it was used. */
export type LoginDecision = { outcome: 'accepted'; expiresAtSeconds: number } | { outcome: 'rejected'; reason: SdkAuthTokenFailure };

export async function decideLogin(payload: LoginValidationPayload, secrets: readonly SdkAuthSecret[], now: number): Promise<LoginDecision> {
  const verdict = await verifySdkAuthToken(payload.token, payload.mobile, secrets, now);
  return verdict.ok ? { outcome: 'accepted', expiresAtSeconds: verdict.expiresAtSeconds } : { outcome: 'rejected', reason: verdict.reason };
}
