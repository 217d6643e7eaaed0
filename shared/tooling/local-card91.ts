import { CALLER_SECRET_HEADER } from '../card91/auth-webhook-contract.js';

/*
 * What the Card91 sandbox, the local stack and the operator CLI agree on without any setup:
 * published here on purpose, and meaningless to any real Card91.
 */

/** Our org id at the Card91 sandbox (its seed data belongs to it). */
export const SANDBOX_ORG_ID = 'OID240605060125057ID16561311';

/** The sdkAuthToken signing secret of local runs: the local auth webhook verifies it, the card-controls worker and the ops CLI sign with it. */
export const LOCAL_CARD91_SDK_AUTH_SECRETS = [{ kid: 'local', secret: 'local-only-card91-sdk-auth-secret-0123456789' }] as const;

/**
 * The caller secret the local Card91 sandbox sends to the local auth webhook, as Card91's portal
 * is configured to: published on purpose, like the signing secret (local runs only).
 */
export const LOCAL_CARD91_CALLER_SECRET = { current: 'local-only-card91-caller-secret-0123456789' } as const;

/** The headers the local Card91 sandbox sends with each auth-URL call. */
export const LOCAL_CARD91_AUTH_URL_HEADERS = { [CALLER_SECRET_HEADER]: LOCAL_CARD91_CALLER_SECRET.current };
