/**
 * Card91 test stack: the sandbox, our auth-URL webhook handler served over real HTTP (each request
 * translated into an API Gateway HTTP API v2 event, as Lambda would receive it), and clients
 * wired to both.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createAuthWebhookHandler } from '../../functions/card91-auth-webhook/auth-webhook.js';
import { CALLER_SECRET_HEADER } from '../../shared/card91/auth-webhook-contract.js';
import { InMemoryTokenReplayGuard } from '../../functions/card91-auth-webhook/token-replay.js';
import type { AuthWebhookDependencies, AuthWebhookOutcome } from '../../functions/card91-auth-webhook/auth-webhook.js';
import { startCard91Sandbox } from '../../sandbox/card91/index.js';
import type { Card91SandboxOptions, RunningCard91Sandbox } from '../../sandbox/card91/index.js';
import { Card91Client, mintSdkAuthToken } from '../../shared/card91/index.js';
import type { Card91CallInfo, Card91ClientOptions, SdkAuthSecret } from '../../shared/card91/index.js';
import { ORG_ID } from '../support/card91-fixtures.js';

export const newSecret = (kid: string): SdkAuthSecret => ({ kid, secret: randomBytes(32).toString('base64url') });

export interface RunningWebhook {
  url: string;
  close(): Promise<void>;
}

/** Serves the webhook handler on 127.0.0.1 the way API Gateway HTTP API (payload v2) would invoke it. */
export async function serveAuthWebhook(dependencies: AuthWebhookDependencies): Promise<RunningWebhook> {
  const handler = createAuthWebhookHandler(dependencies);
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const body = Buffer.concat(chunks);
      const event: APIGatewayProxyEventV2 = {
        version: '2.0',
        routeKey: '$default',
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')])),
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: 'localhost',
          domainPrefix: 'localhost',
          http: { method: request.method ?? 'POST', path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: request.headers['user-agent'] ?? '' },
          requestId: randomUUID(),
          routeKey: '$default',
          stage: '$default',
          time: new Date().toISOString(),
          timeEpoch: Date.now(),
        },
        // API Gateway base64-encodes bodies it does not recognise as text; exercise that path.
        body: body.length > 0 ? body.toString('base64') : undefined,
        isBase64Encoded: body.length > 0,
      };
      handler(event).then(
        (result) => {
          response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>).end(result.body ?? '');
        },
        () => response.writeHead(500).end('Internal Server Error'),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/card91/auth`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Card91Stack {
  sandbox: RunningCard91Sandbox;
  webhook: RunningWebhook;
  /** What the webhook currently accepts; tests change it to rotate secrets. */
  webhookSecrets: SdkAuthSecret[];
  /** What our token provider signs with. */
  signing: { secret: SdkAuthSecret };
  outcomes: AuthWebhookOutcome[];
  calls: Card91CallInfo[];
  client(overrides?: Partial<Card91ClientOptions>): Card91Client;
  close(): Promise<void>;
}

export const FAST_RETRY = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20 } as const;

export interface Card91StackOptions {
  sandbox?: Partial<Card91SandboxOptions>;
  /** When set, the webhook answers logins with this X-C91-B-Token. */
  businessToken?: string;
}

export async function startCard91Stack(options: Card91StackOptions = {}): Promise<Card91Stack> {
  const secret = newSecret('2026-11');
  const stack = {
    webhookSecrets: [secret],
    signing: { secret },
    outcomes: [] as AuthWebhookOutcome[],
    calls: [] as Card91CallInfo[],
  };
  const { businessToken } = options;
  // What Card91's portal would be configured to send: the webhook refuses any other caller.
  const callerSecret = randomBytes(32).toString('base64url');
  const webhook = await serveAuthWebhook({
    getSecrets: async () => stack.webhookSecrets,
    callerSecrets: async () => [callerSecret],
    replay: new InMemoryTokenReplayGuard(),
    businessTokenProvider: businessToken === undefined ? undefined : async () => businessToken,
    onOutcome: (outcome) => stack.outcomes.push(outcome),
  });
  const sandbox = await startCard91Sandbox({ authWebhookUrl: webhook.url, authWebhookHeaders: { [CALLER_SECRET_HEADER]: callerSecret }, orgId: ORG_ID, ...options.sandbox });
  return Object.assign(stack, {
    sandbox,
    webhook,
    client: (overrides: Partial<Card91ClientOptions> = {}) =>
      new Card91Client({
        baseUrl: sandbox.url,
        orgId: ORG_ID,
        sdkAuthTokenProvider: async (mobile) => mintSdkAuthToken({ mobile, secret: stack.signing.secret }),
        retry: FAST_RETRY,
        timeoutMs: 2_000,
        onCall: (info) => stack.calls.push(info),
        ...overrides,
      }),
    close: async () => {
      await sandbox.close();
      await webhook.close();
    },
  });
}
