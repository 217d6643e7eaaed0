import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { chain, memoize } from '@smithy/core/config';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * The AWS SDK's default credential chain as a Lambda function needs it, and nothing more: the
 * deployed bundles use this module in place of `@aws-sdk/credential-provider-node` (an esbuild alias
 * in infra/constructs/integration-function.ts; local runs and tests keep the SDK's own chain).
 *
 * Lambda hands the execution role's credentials to the function in its environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), which is the first link of the SDK's
 * chain too; a container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) is the fallback.
 * The SSO, INI-profile, process, web-identity and login links never apply in Lambda, and with them
 * go the nested STS/SSO/OIDC clients: about 130 KiB of every bundle.
 */
export const credentialsTreatedAsExpired = (credentials: AwsCredentialIdentity): boolean => credentials.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;

export const credentialsWillNeedRefresh = (credentials: AwsCredentialIdentity): boolean => credentials.expiration !== undefined;

/** Same signature as the SDK's `defaultProvider`: the clients' runtime config calls it with their logger. */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] & Parameters<typeof fromHttp>[0] = {}): AwsCredentialIdentityProvider =>
  memoize(
    // fromHttp throws as it is built when no endpoint is configured: build it only when the environment had nothing.
    chain(fromEnv(init), async () => fromHttp(init)()),
    credentialsTreatedAsExpired,
    credentialsWillNeedRefresh,
  );
