import type { GetOptionsInterface } from '@aws-lambda-powertools/parameters/base/types';
import * as z from 'zod';
import { AwsJsonService, AwsJsonValueProvider, sharedGet, unreadableAnswer, type AwsJsonServiceOptions } from './aws-json-call.js';

/**
 * Secrets Manager secrets through Powertools' caching and transforms, without
 * `@aws-sdk/client-secrets-manager` (24 KiB of each bundle for one read every five minutes): this
 * Powertools provider sends `GetSecretValue` itself (aws-json-call.ts). The secret's value never
 * enters an error message: failures name the secret and the service's error type only.
 */

const getSecretValueAnswer = z.object({ SecretString: z.string().optional(), SecretBinary: z.string().optional() });

export class SecretsManagerSecrets extends AwsJsonValueProvider {
  constructor(options: AwsJsonServiceOptions = {}) {
    super(new AwsJsonService('secretsmanager', 'secretsmanager', 'SECRETS_MANAGER', options), { provider: 'Secrets Manager secrets', value: 'secret' });
  }

  /** The current version's SecretString (or SecretBinary, decoded); Powertools caches it and applies `transform`. */
  protected async _get(secretId: string): Promise<string | Uint8Array> {
    const answer = getSecretValueAnswer.safeParse(await this.service.call('GetSecretValue', { SecretId: secretId }, secretId));
    if (!answer.success) throw unreadableAnswer(`secretsmanager GetSecretValue ${secretId}`);
    if (answer.data.SecretString !== undefined) return answer.data.SecretString;
    if (answer.data.SecretBinary !== undefined) return Buffer.from(answer.data.SecretBinary, 'base64');
    throw unreadableAnswer(`secretsmanager GetSecretValue ${secretId}`);
  }
}

/** Drop-in for Powertools' `getSecret` from `@aws-lambda-powertools/parameters/secrets`, on the provider above. */
export const getSecret: (secretId: string, options?: GetOptionsInterface) => Promise<unknown> = sharedGet(() => new SecretsManagerSecrets());
