/**
 * HTTP face of the auth-URL webhook Card91 calls during a customer login (docs/reference/card91.md §1.2):
 *   - not through the stage's edge (a stage behind CloudFront, reached directly): 403, nothing else read;
 *   - a caller without the secret header Card91 is configured to send: 401, the body unread. The
 *     answer carries our business token, so a valid sdkAuthToken alone (the customer's app holds
 *     one) must not be enough to get it;
 *   - valid token, never presented before: 200 `{"message": ""}`; when a business token provider is configured, also
 *     `X-C91-B-Token: <business JWT>` and `Access-Control-Expose-Headers: X-C91-B-Token` (the
 *     auth-URL page requires them; whether MCTC login does is unconfirmed, docs/reference/card91.md §5.3);
 *   - expired, forged, mismatched, out-of-bounds, already used or unreadable token: 401 with one
 *     fixed message, so a caller cannot tell which check failed (the reason goes to `onOutcome` for our logs and metrics);
 *   - body that is not a validation request: 400.
 * Failures to read secrets or mint the business token are thrown: the Lambda integration turns
 * them into a 500, Card91 refuses the login, and the error reaches our logs with its cause.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CALLER_SECRET_HEADER } from '../../shared/card91/auth-webhook-contract.js';
import type { SdkAuthSecret, SdkAuthTokenFailure } from '../../shared/card91/sdk-auth-token.js';
import type { OriginCheck } from '../../shared/edge/origin.js';
import { matchesSharedSecret, type SharedSecretSource } from '../../shared/security/shared-secret.js';
import type { TokenReplayGuard } from './token-replay.js';
import { decideLogin, parseLoginValidationRequest } from './validate-login.js';

/** Why a login validation was refused: the token's own failure, a caller without our secret, or a token already used. */
export type LoginRejection = SdkAuthTokenFailure | 'caller' | 'replayed';

export type AuthWebhookOutcome = { outcome: 'accepted' } | { outcome: 'rejected'; reason: LoginRejection } | { outcome: 'malformed-request' } | { outcome: 'not-through-edge' };

export interface AuthWebhookDependencies {
  /** Every secret currently valid for verification (two during a rotation). */
  getSecrets: () => Promise<readonly SdkAuthSecret[]>;
  /** The values of the caller secret header accepted now (two during a rotation). */
  callerSecrets: SharedSecretSource;
  /** Remembers accepted tokens until they expire: each token opens one login. */
  replay: TokenReplayGuard;
  /** The stage's edge check; omitted: no edge in front, every request is taken as arrived. */
  origin?: OriginCheck;
  /** Our Card91 business JWT for the `X-C91-B-Token` header; omit to send no such header. */
  businessTokenProvider?: () => Promise<string>;
  /** Hook for logs and metrics: the outcome and failure reason, never the token or mobile. */
  onOutcome?: (outcome: AuthWebhookOutcome) => void;
  now?: () => number;
}

export type AuthWebhookHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export const BUSINESS_TOKEN_HEADER = 'X-C91-B-Token';

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

const answer = (statusCode: number, message: string, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { ...JSON_HEADERS, ...headers },
  body: JSON.stringify({ message }),
});

function bodyText(event: APIGatewayProxyEventV2): string | undefined {
  if (event.body === undefined) return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function createAuthWebhookHandler(dependencies: AuthWebhookDependencies): AuthWebhookHandler {
  const now = dependencies.now ?? Date.now;
  const report = (outcome: AuthWebhookOutcome) => dependencies.onOutcome?.(outcome);

  return async (event) => {
    if (dependencies.origin && !(await dependencies.origin(event)).ok) {
      report({ outcome: 'not-through-edge' });
      return answer(403, 'Forbidden');
    }
    // Before the body is read: a caller that is not Card91 learns nothing about its payload either.
    if (!matchesSharedSecret(event.headers?.[CALLER_SECRET_HEADER], await dependencies.callerSecrets())) {
      report({ outcome: 'rejected', reason: 'caller' });
      return answer(401, 'Unauthorized');
    }
    const payload = parseLoginValidationRequest(bodyText(event));
    if (payload === undefined) {
      report({ outcome: 'malformed-request' });
      return answer(400, 'Bad request');
    }
    const decision = await decideLogin(payload, await dependencies.getSecrets(), now());
    if (decision.outcome === 'rejected') {
      report(decision);
      return answer(401, 'Unauthorized');
    }
    // Only genuine tokens are remembered, so forged ones cannot fill the table.
    if (!(await dependencies.replay.firstUse(payload.token, decision.expiresAtSeconds))) {
      report({ outcome: 'rejected', reason: 'replayed' });
      return answer(401, 'Unauthorized');
    }
    report({ outcome: 'accepted' });

    if (dependencies.businessTokenProvider === undefined) return answer(200, '');
    const businessToken = await dependencies.businessTokenProvider();
    return answer(200, '', { [BUSINESS_TOKEN_HEADER]: businessToken, 'Access-Control-Expose-Headers': BUSINESS_TOKEN_HEADER });
  };
}
