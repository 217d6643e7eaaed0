/**
 * The call Card91 makes to our auth-URL webhook during a login (docs/reference/card91.md §1.2):
 * HTTP 200 accepts the sdkAuthToken, anything else refuses it, no answer in time is `unreachable`.
 */
import type { AuthWebhookPayload, WebhookVerdict } from './routes.js';
import type { SandboxStats } from './stats.js';

export function authWebhookCaller(
  url: string,
  timeoutMs: number,
  /** The current counters: a reset replaces them. */
  counters: () => SandboxStats['webhook'],
  /** Headers configured with the auth URL on Card91's portal, sent with every call. */
  headers: Readonly<Record<string, string>> = {},
): (payload: AuthWebhookPayload) => Promise<WebhookVerdict> {
  return async (payload) => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer();
      if (response.status !== 200) {
        counters().refused += 1;
        return 'refused';
      }
      counters().accepted += 1;
      if (response.headers.get('x-c91-b-token')) counters().withBusinessToken += 1;
      return 'accepted';
    } catch {
      counters().unreachable += 1;
      return 'unreachable';
    }
  };
}
