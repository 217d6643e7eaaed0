/**
 * The courier webhook handler served as API Gateway would invoke it, on the suite's emulators
 * (DynamoDB Local for replays and the AWB index, fauxqs for the courier queue), with the test
 * couriers of couriers.ts.
 */
import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterEach } from 'vitest';
import { createCourierWebhookHandler, type CourierWebhookDependencies, type CourierWebhookHandler } from '../../../functions/courier-webhook/webhook.js';
import { courierDirectoryLoader } from '../../../shared/courier/couriers.js';
import type { SendBatch } from '../../../functions/courier-webhook/enqueue.js';
import { DynamoReplayGuard } from '../../../functions/courier-webhook/replay.js';
import { staticSecretsSource } from '../../../shared/courier/secrets.js';
import { startApiGatewayServer, type RunningApiGatewayServer } from '../../../local/http/api-gateway-server.js';
import { COURIER_EVENTS_ROUTE } from '../../../local/http/courier-webhook.js';
import { courierEventsUrl, signCourierRequest } from '../../../shared/tooling/courier-signing.js';
import { COURIER_KIT_STATUS, parseEvent } from '../../../shared/contracts/index.js';
import { createTelemetry } from '../../../shared/observability/telemetry.js';
import { AwbIndex } from '../../../shared/persistence/awb-index.js';
import { localAws, type LocalAws } from '../../support/local-aws.js';
import { COURIERS, CURRENT, SECRETS, TOKEN } from './couriers.js';

export interface Webhook {
  aws: LocalAws;
  queueUrl: string;
  handler: CourierWebhookHandler;
  server: RunningApiGatewayServer;
  /** Signed (HMAC couriers) or with the token in its header (token couriers), as the courier's integration says. */
  post(courier: string, body: string | object, options?: { secrets?: string[]; timestamp?: number; token?: string; headers?: Record<string, string> }): Promise<Answer>;
  queued(): Promise<Array<{ id: string; type: string; tenant: string; data: Record<string, unknown> }>>;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

export const nowSeconds = () => Math.floor(Date.now() / 1_000);

export async function startWebhook(options: WebhookOptions = {}): Promise<Webhook> {
  const aws = options.aws ?? (await localAws());
  const queueUrl = options.queueUrl ?? aws.resources.queues.courier.url;
  const real: SendBatch = (input) => aws.sqs.send(new SendMessageBatchCommand(input));
  const deps: CourierWebhookDependencies = {
    couriers: courierDirectoryLoader({ COURIERS_JSON: JSON.stringify(COURIERS) }),
    secrets: staticSecretsSource(SECRETS),
    replay: new DynamoReplayGuard(aws.dynamo, aws.resources.tables.webhookReplay),
    awbIndex: new AwbIndex(aws.dynamo, aws.resources.tables.integrationState),
    enqueue: { queueUrl, sendBatch: options.sendBatch?.(real) ?? real, retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, minAttemptMs: 0 }, concurrency: 5 },
    telemetry: createTelemetry('courier-webhook-test'),
    limits: { maxBodyBytes: 256 * 1_024, maxEventsPerRequest: 500, signatureToleranceSeconds: 300, maxFutureSeconds: 600, earliestOccurredAtMs: Date.parse('2020-01-01T00:00:00Z') },
    deadlineMarginMs: 500,
  };
  const handler = createCourierWebhookHandler(deps);
  const server = await startApiGatewayServer({ port: 0, routes: { [COURIER_EVENTS_ROUTE]: handler } });
  return {
    aws,
    queueUrl,
    handler,
    server,
    async post(courier, body, postOptions = {}) {
      const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const auth = COURIERS.find((c) => c.courier === courier)?.auth;
      const credentials =
        auth?.mode === 'token'
          ? { 'content-type': 'application/json', [auth.header]: `${auth.prefix ?? ''}${postOptions.token ?? TOKEN}` }
          : signCourierRequest({ secrets: postOptions.secrets ?? [CURRENT], body: bytes, timestamp: postOptions.timestamp });
      const response = await fetch(courierEventsUrl(server.url, courier), { method: 'POST', headers: { ...credentials, ...postOptions.headers }, body: bytes });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async queued() {
      const all = [];
      for (;;) {
        const { Messages } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60 }));
        if (!Messages?.length) return all;
        // Every message must be a valid event of the contract the worker applies.
        all.push(...Messages.map((m) => parseEvent(m.Body!, [COURIER_KIT_STATUS], new Set(['ACME_BANK', 'GLOBEX_BANK']))));
      }
    },
  };
}

export interface WebhookOptions {
  /** The emulators' resources to use; fresh ones by default. */
  aws?: LocalAws;
  queueUrl?: string;
  /** Wraps SQS SendMessageBatch, to make entries fail. */
  sendBatch?: (real: SendBatch) => SendBatch;
}

/** Returns a starter of webhooks for the file's tests; each webhook is closed after the test that started it. */
export function useWebhook(): (options?: WebhookOptions) => Promise<Webhook> {
  const open: Webhook[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((webhook) => webhook.server.close()));
  });
  return async (options) => {
    const webhook = await startWebhook(options);
    open.push(webhook);
    return webhook;
  };
}
