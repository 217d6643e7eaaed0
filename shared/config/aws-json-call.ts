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
 * One operation of an AWS service that speaks the JSON 1.1 protocol (SSM, Secrets Manager), sent
 * with fetch and signed by the SDK's own SigV4 signer with the SDK's credential chain: what the
 * functions need of those services (one read every five minutes) without the service's SDK client,
 * which bundles every operation's schema. Throttling, 5xx and network failures are retried here
 * like the SDK's standard mode does; a longer outage is the caller's retry. Going through fetch,
 * the call is traced like every other outbound HTTP call.
 */

export interface AwsJsonServiceOptions {
  /** Default AWS_REGION. */
  region?: string;
  /** Default AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then the regional endpoint. */
  endpoint?: string;
  credentials?: AwsCredentialIdentityProvider;
}

const errorAnswer = z.object({ __type: z.string().optional(), message: z.string().optional(), Message: z.string().optional() });
const RETRY: RetryOptions = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 2_000 };
const TIMEOUT_MS = 5_000;

export class AwsJsonService {
  private readonly signer: SignatureV4;
  private readonly endpoint: URL;

  /**
   * @param service signing name and endpoint prefix (`ssm`, `secretsmanager`)
   * @param targetPrefix the `X-Amz-Target` prefix (`AmazonSSM`, `secretsmanager`)
   * @param environmentKey the SDK's service id for AWS_ENDPOINT_URL_<KEY> (`SSM`, `SECRETS_MANAGER`)
   */
  constructor(
    private readonly service: string,
    private readonly targetPrefix: string,
    environmentKey: string,
    options: AwsJsonServiceOptions = {},
  ) {
    const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new Error(`${service}: AWS_REGION is not set`);
    this.endpoint = new URL(options.endpoint ?? process.env[`AWS_ENDPOINT_URL_${environmentKey}`] ?? process.env.AWS_ENDPOINT_URL ?? `https://${service}.${region}.amazonaws.com/`);
    this.signer = new SignatureV4({ service, region, credentials: options.credentials ?? defaultProvider(), sha256: Sha256, applyChecksum: false });
  }

  /** The operation's JSON answer; failures as IntegrationErrors whose code is the service's error type. */
  call(operation: string, payload: object, subject: string): Promise<unknown> {
    return withRetry(() => this.callOnce(operation, payload, subject), RETRY);
  }

  private async callOnce(operation: string, payload: object, subject: string): Promise<unknown> {
    const body = JSON.stringify(payload);
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: this.endpoint.protocol,
      hostname: this.endpoint.hostname,
      ...(this.endpoint.port && { port: Number(this.endpoint.port) }),
      path: this.endpoint.pathname,
      query: {},
      headers: { host: this.endpoint.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${this.targetPrefix}.${operation}` },
      body,
    });
    const what = `${this.service} ${operation} ${subject}`;
    let response: Response;
    try {
      response = await fetch(this.endpoint, { method: 'POST', headers: signed.headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new IntegrationError({ category: FailureCategory.Transient, code: 'NETWORK', message: `${what}: ${error instanceof Error ? error.message : String(error)}`, cause: error });
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (response.ok) return json;
    const failure = errorAnswer.safeParse(json);
    // `__type` may carry the service namespace (`com.amazonaws.ssm#ParameterNotFound`).
    const type = (failure.success ? failure.data.__type : undefined)?.split('#').at(-1) ?? `HTTP_${response.status}`;
    const detail = failure.success ? (failure.data.message ?? failure.data.Message) : undefined;
    const transient = response.status >= 500 || response.status === 429 || /Throttl/i.test(type);
    throw new IntegrationError({
      category: transient ? FailureCategory.Transient : FailureCategory.Permanent,
      code: type,
      status: response.status,
      message: `${what}: ${type}${detail ? `: ${detail}` : ''}`,
    });
  }
}

/** An answer that is not what the operation documents. */
export const unreadableAnswer = (what: string): IntegrationError => new IntegrationError({ category: FailureCategory.Transient, code: 'UNREADABLE_ANSWER', message: `${what}: unreadable answer` });

/**
 * A Powertools provider whose values are read one by one with one operation of an AWS JSON
 * service: Powertools caches them and applies `transform`. Reading many at once is not offered.
 */
export abstract class AwsJsonValueProvider extends BaseProvider {
  /**
   * @param provider names the provider in errors (`SSM parameters`)
   * @param value what one value is (`parameter`)
   */
  constructor(
    protected readonly service: AwsJsonService,
    private readonly names: { provider: string; value: string },
  ) {
    super({});
  }

  protected async _getMultiple(): Promise<undefined> {
    throw new Error(`${this.names.provider}: getMultiple is not supported; read each ${this.names.value} with get`);
  }
}

/** A drop-in for a Powertools module function (`getSecret`, `getParameter`): one provider, made on first use, serves every call. */
export function sharedGet(create: () => BaseProvider): (name: string, options?: GetOptionsInterface) => Promise<unknown> {
  let shared: BaseProvider | undefined;
  return (name, options) => {
    shared ??= create();
    return shared.get(name, options);
  };
}
