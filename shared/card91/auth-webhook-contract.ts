/**
 * What the Card91 auth webhook and the stack that deploys it agree on: the header Card91 sends on
 * every auth-URL call, set on Card91's admin portal next to the URL, the shared secret that tells
 * Card91's calls from anyone else's (lower case, as API Gateway passes header names); and the
 * items of the webhook-replay table the webhook writes, the only ones its role may touch.
 */
export const CALLER_SECRET_HEADER = 'x-card91-webhook-secret';

export const TOKEN_KEY_PREFIX = 'card91-auth#sdk-token#';
