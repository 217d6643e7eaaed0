/**
 * HTTP face of the auth-URL webhook Card91 calls during a customer login (docs/reference/card91.md §1.2):
 *   - valid token: 200 `{"message": ""}`; when a business token provider is configured, also
 *     `X-C91-B-Token: <business JWT>` and `Access-Control-Expose-Headers: X-C91-B-Token` (the
 *     auth-URL page requires them; whether MCTC login does is unconfirmed, docs/reference/card91.md §5.3);
 *   - expired, forged, mismatched or unreadable token: 401 with one fixed message, so a caller
 *     cannot tell which check failed (the reason goes to `onOutcome` for our logs and metrics);
 *   - body that is not a validation request: 400.
 * Failures to read secrets or mint the business token are thrown: the Lambda integration turns
 * them into a 500, Card91 refuses the login, and the error reaches our logs with its cause.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { SdkAuthSecret, SdkAuthTokenFailure } from '../../shared/card91/sdk-auth-token.js';
import { decideLogin, parseLoginValidationRequest } from './validate-login.js';

export type AuthWebhookOutcome = { outcome: 'accepted' } | { outcome: 'rejected'; reason: SdkAuthTokenFailure } | { outcome: 'malformed-request' };

export interface AuthWebhookDependencies {
  /** Every secret currently valid for verification (two during a rotation). */
  getSecrets: () => Promise<readonly SdkAuthSecret[]>;
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
    const payload = parseLoginValidationRequest(bodyText(event));
    if (payload === undefined) {
      report({ outcome: 'malformed-request' });
      return answer(400, 'Bad request');
    }
    const decision = await decideLogin(payload, await dependencies.getSecrets(), now());
    report(decision);
    if (decision.outcome === 'rejected') return answer(401, 'Unauthorized');

    if (dependencies.businessTokenProvider === undefined) return answer(200, '');
    const businessToken = await dependencies.businessTokenProvider();
    return answer(200, '', { [BUSINESS_TOKEN_HEADER]: businessToken, 'Access-Control-Expose-Headers': BUSINESS_TOKEN_HEADER });
  };
}
