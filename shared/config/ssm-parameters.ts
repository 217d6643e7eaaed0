import type { GetOptionsInterface } from '@aws-lambda-powertools/parameters/base/types';
import * as z from 'zod';
import { AwsJsonService, AwsJsonValueProvider, sharedGet, unreadableAnswer, type AwsJsonServiceOptions } from './aws-json-call.js';

/**
 * SSM parameters through Powertools' caching and transforms, without `@aws-sdk/client-ssm`: the
 * functions read one parameter (a JSON document, cached five minutes), and the SSM client carries
 * every SSM operation's schema (80 KiB of each bundle and ~10 ms of module init) for that one call.
 * This Powertools provider sends `GetParameter` itself (aws-json-call.ts).
 *
 * Weighed against it: the Lambda Parameters and Secrets extension (a layer and a second process in
 * every function, its own cache in front of ours, invisible in traces and never exercised by local
 * runs), and Powertools' DynamoDB or AppConfig providers (the document would move out of SSM, where
 * operators edit it: docs/runbook.md).
 */

const getParameterAnswer = z.object({ Parameter: z.object({ Value: z.string() }) });

export class SsmParameters extends AwsJsonValueProvider {
  constructor(options: AwsJsonServiceOptions = {}) {
    super(new AwsJsonService('ssm', 'AmazonSSM', 'SSM', options), { provider: 'SSM parameters', value: 'parameter' });
  }

  /** The parameter's value (Powertools caches it and applies `transform`). String parameters only: no decryption. */
  protected async _get(name: string): Promise<string> {
    const answer = getParameterAnswer.safeParse(await this.service.call('GetParameter', { Name: name, WithDecryption: false }, name));
    if (!answer.success) throw unreadableAnswer(`ssm GetParameter ${name}`);
    return answer.data.Parameter.Value;
  }
}

/** Drop-in for Powertools' `getParameter` from `@aws-lambda-powertools/parameters/ssm`, on the provider above. */
export const getParameter: (name: string, options?: GetOptionsInterface) => Promise<unknown> = sharedGet(() => new SsmParameters());
