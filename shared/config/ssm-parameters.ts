import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import type { GetOptionsInterface } from '@aws-lambda-powertools/parameters/base/types';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import * as z from 'zod';
import { FailureCategory, IntegrationError } from '../resilience/errors.js';
import { withRetry, type RetryOptions } from '../resilience/retry.js';

/**
 * SSM parameters through Powertools' caching and transforms, without `@aws-sdk/client-ssm`.
 *
 * The functions read one parameter (a JSON document) and cache it five minutes; the SSM client
 * carries every SSM operation's schema (80 KiB of each bundle, ~10 ms of module init) for that one
 * call. This Powertools provider sends the one call itself: `AmazonSSM.GetParameter` over the JSON
 * 1.1 protocol, SigV4-signed by the SDK's own signer with the SDK's credential chain, with
 * in-call retries of throttling, 5xx and network failures like the SDK's. It goes through `fetch`,
 * so it is traced like every other outbound HTTP call.
 *
 * Weighed against it: the Lambda Parameters and Secrets extension (a layer and a second process in
 * every function, its own cache in front of ours, invisible in traces and never exercised by local
 * runs), and Powertools' DynamoDB or AppConfig providers (the document would move out of SSM, where
 * operators edit it: docs/runbook.md).
 */

const getParameterAnswer = z.object({ Parameter: z.object({ Value: z.string() }) });
const errorAnswer = z.object({ __type: z.string().optional(), message: z.string().optional(), Message: z.string().optional() });

/** Like the SDK's standard retry mode: a few quick attempts; a longer outage is the caller's retry (the record's redelivery). */
const RETRY: RetryOptions = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 2_000 };
const TIMEOUT_MS = 5_000;

export interface SsmParametersOptions {
  /** Default AWS_REGION. */
  region?: string;
  /** Default AWS_ENDPOINT_URL_SSM, then AWS_ENDPOINT_URL, then the regional endpoint. */
  endpoint?: string;
  credentials?: AwsCredentialIdentityProvider;
  fetch?: typeof fetch;
}

export class SsmParameters extends BaseProvider {
  private readonly signer: SignatureV4;
  private readonly endpoint: URL;
  private readonly fetchImpl: typeof fetch;

  constructor(options: SsmParametersOptions = {}) {
    super({});
    const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new Error('SSM parameters: AWS_REGION is not set');
    this.endpoint = new URL(options.endpoint ?? process.env.AWS_ENDPOINT_URL_SSM ?? process.env.AWS_ENDPOINT_URL ?? `https://ssm.${region}.amazonaws.com/`);
    this.signer = new SignatureV4({ service: 'ssm', region, credentials: options.credentials ?? defaultProvider(), sha256: Sha256, applyChecksum: false });
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The parameter's value (Powertools caches it and applies `transform`). */
  protected async _get(name: string): Promise<string> {
    return withRetry(() => this.getOnce(name), RETRY);
  }

  protected async _getMultiple(): Promise<undefined> {
    throw new Error('SSM parameters: getMultiple is not supported; read each parameter with get');
  }

  private async getOnce(name: string): Promise<string> {
    const body = JSON.stringify({ Name: name, WithDecryption: false });
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: this.endpoint.protocol,
      hostname: this.endpoint.hostname,
      ...(this.endpoint.port && { port: Number(this.endpoint.port) }),
      path: this.endpoint.pathname,
      query: {},
      headers: { host: this.endpoint.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameter' },
      body,
    });
    let response: Response;
    try {
      response = await this.fetchImpl(this.endpoint, { method: 'POST', headers: signed.headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new IntegrationError({ category: FailureCategory.Transient, code: 'SSM_NETWORK', message: `SSM GetParameter ${name}: ${error instanceof Error ? error.message : String(error)}`, cause: error });
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (response.ok) {
      const answer = getParameterAnswer.safeParse(json);
      if (!answer.success) throw new IntegrationError({ category: FailureCategory.Transient, code: 'SSM_UNREADABLE', message: `SSM GetParameter ${name}: unreadable answer` });
      return answer.data.Parameter.Value;
    }
    const failure = errorAnswer.safeParse(json);
    // `__type` may carry the service namespace (`com.amazonaws.ssm#ParameterNotFound`).
    const type = (failure.success ? failure.data.__type : undefined)?.split('#').at(-1) ?? `HTTP_${response.status}`;
    const detail = failure.success ? (failure.data.message ?? failure.data.Message) : undefined;
    const transient = response.status >= 500 || response.status === 429 || /Throttl/i.test(type);
    throw new IntegrationError({
      category: transient ? FailureCategory.Transient : FailureCategory.Permanent,
      code: type,
      status: response.status,
      message: `SSM GetParameter ${name}: ${type}${detail ? `: ${detail}` : ''}`,
    });
  }
}

let shared: SsmParameters | undefined;

/** Drop-in for Powertools' `getParameter` from `@aws-lambda-powertools/parameters/ssm`, on the provider above. */
export function getParameter(name: string, options?: GetOptionsInterface): Promise<unknown> {
  shared ??= new SsmParameters();
  return shared.get(name, options);
}
