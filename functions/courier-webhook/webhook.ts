import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { CourierKitStatusEvent } from '../../shared/contracts/index.js';
import { directOrigin, type OriginCheck } from '../../shared/edge/origin.js';
import type { SetMetrics } from '../../shared/observability/metric-sets.js';
import { TokenBucketLimiter } from '../../shared/resilience/rate-limiter.js';
import { queueAndAnswer } from './accept.js';
import { authenticate } from './authenticate.js';
import type { CourierDirectory } from '../../shared/courier/couriers.js';
import type { EnqueueOptions } from './enqueue.js';
import { resolveKits, type AwbDirectory } from './kits.js';
import { fingerprint, loggableCode } from './log-safe.js';
import { readCourierPayload, toEvents } from './mapping/index.js';
import { outcomeRecorder } from './outcomes.js';
import { replayRecord, type ReplayGuard } from './replay.js';
import { requestScope, type RequestScope } from './request-scope.js';
import { header, isJsonContentType, rawBody } from './request.js';
import { responses, type WebhookResponse } from './responses.js';
import type { SecretsSource } from '../../shared/courier/secrets.js';

export interface WebhookLimits {
  maxBodyBytes: number;
  maxEventsPerRequest: number;
  signatureToleranceSeconds: number;
  /** How far ahead of our clock a scan's time may be. */
  maxFutureSeconds: number;
  /** Scans dated before this instant (epoch ms) are refused. */
  earliestOccurredAtMs: number;
}

export interface CourierWebhookDependencies {
  couriers: () => Promise<CourierDirectory>;
  secrets: SecretsSource;
  replay: ReplayGuard;
  awbIndex: AwbDirectory;
  enqueue: EnqueueOptions;
  telemetry: { logger: Logger; metrics: SetMetrics };
  limits: WebhookLimits;
  /** Time kept back from the function's deadline for answering after the last SQS attempt. */
  deadlineMarginMs: number;
  /** The stage's edge check, which also says who the caller is; default: no edge, API Gateway's TCP peer. */
  origin?: OriginCheck;
  now?: () => number;
}

export type CourierWebhookHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<WebhookResponse>;

/** What every request of one handler shares. */
interface Webhook {
  deps: CourierWebhookDependencies;
  now: () => number;
  throttle: TokenBucketLimiter;
}

/** A step's result: what the next step needs, or the answer that ends the request. */
type Step<T> = T | { answer: WebhookResponse };
const ended = <T extends object>(step: Step<T>): step is { answer: WebhookResponse } => 'answer' in step;

const UNKNOWN = '(unknown)';

/**
 * `POST /couriers/{courier}/events` (API Gateway HTTP API, payload v2). Checks run cheapest and
 * least revealing first: the edge (a stage behind CloudFront refuses what reached API Gateway
 * directly), courier, size, media type, authentication (the integration's mode); then
 * replay (one read: a replay is answered before it spends the courier's rate), rate, body,
 * mapping, kits; the events are queued last, all or none from the courier's point of view
 * (anything short of all queued is a 5xx when a retry can help, so the courier sends it again).
 * Nothing the courier sent is logged beyond codes, ids and lengths.
 */
export function createCourierWebhookHandler(deps: CourierWebhookDependencies): CourierWebhookHandler {
  const { logger, metrics } = deps.telemetry;
  const now = deps.now ?? Date.now;
  // Non-blocking: a request over its courier's limit is answered 429 at once rather than held. It runs
  // after authentication and the replay check, so neither forged requests nor replays spend a
  // genuine courier's tokens.
  const webhook: Webhook = { deps, now, throttle: new TokenBucketLimiter({ now }) };
  const record = outcomeRecorder(metrics);
  const origin = deps.origin ?? directOrigin;

  return async (event, context) => {
    const name = event.pathParameters?.courier ?? '';
    let courier: string | undefined;
    try {
      const arrival = await origin(event);
      if (!arrival.ok) {
        // Past CloudFront and WAF, straight to API Gateway: nothing of the request is read.
        logger.warn('request did not come through the edge');
        return record('notThroughEdge', UNKNOWN, responses.forbidden());
      }
      const settings = (await deps.couriers()).get(name);
      if (!settings) {
        // The name is the caller's text: logged as a fingerprint, never used as a metric dimension.
        const answer = unknownCourierAnswer(deps.limits, event);
        logger.warn('request for an unknown courier', { courierName: fingerprint(name), status: answer.statusCode });
        return record('unknownCourier', UNKNOWN, answer);
      }
      courier = settings.courier;
      return await handle(webhook, requestScope(settings, logger, record), { event, clientIp: arrival.clientIp }, context);
    } catch (error) {
      // Configuration, secrets or the replay table failed: our fault, and worth the courier's retry.
      logger.error('courier webhook failed', { courier, error: error as Error });
      return record('error', courier ?? UNKNOWN, responses.internalError());
    }
  };
}

/** A request, and its caller's address as the origin check established it. */
interface Arrival {
  event: APIGatewayProxyEventV2;
  clientIp: string | undefined;
}

/**
 * An unknown courier is answered as a known one whose credentials fail: the same checks before
 * authentication (size, media type), then the same 401, so the answers do not tell which courier
 * names exist.
 */
function unknownCourierAnswer(limits: WebhookLimits, event: APIGatewayProxyEventV2): WebhookResponse {
  if (rawBody(event).length > limits.maxBodyBytes) return responses.tooLarge(limits.maxBodyBytes);
  if (!isJsonContentType(header(event, 'content-type'))) return responses.unsupportedMediaType();
  return responses.unauthorized();
}

/** A known courier's request, from its first check to its answer. */
async function handle(webhook: Webhook, scope: RequestScope, arrival: Arrival, context: Context): Promise<WebhookResponse> {
  const { deps, now } = webhook;
  const admitted = await admit(webhook, scope, arrival);
  if (ended(admitted)) return admitted.answer;
  const { body, replay } = admitted;

  const seen = await deps.replay.peek(replay.key);
  if (seen.kind === 'completed') return scope.replayed(seen.eventIds);
  if (seen.kind === 'inProgress') return scope.refuse('inProgress', responses.inProgress());

  const waitMs = webhook.throttle.tryAcquire(scope.courier, scope.settings.rateLimit);
  if (waitMs > 0) return scope.refuse('rateLimited', responses.rateLimited(Math.ceil(waitMs / 1_000)));

  const read = await readEvents(webhook, scope, body);
  if (ended(read)) return read.answer;

  const functionDeadline = now() + context.getRemainingTimeInMillis();
  const claim = await deps.replay.claim(replay.key, { expiresAtSeconds: replay.expiresAtSeconds, lockedUntilMs: functionDeadline });
  if (claim.kind === 'completed') return scope.replayed(claim.eventIds);
  if (claim.kind === 'inProgress') return scope.refuse('inProgress', responses.inProgress());

  return queueAndAnswer(scope, deps, { replayKey: replay.key, events: read.events, awbsLearnt: read.awbsLearnt, deadline: functionDeadline - deps.deadlineMarginMs });
}

/** Size, media type and authentication; then the replay record the authenticated request is known by. */
async function admit(webhook: Webhook, scope: RequestScope, { event, clientIp }: Arrival): Promise<Step<{ body: Buffer; replay: ReturnType<typeof replayRecord> }>> {
  const { limits } = webhook.deps;
  const { settings } = scope;
  const body = rawBody(event);
  if (body.length > limits.maxBodyBytes) return { answer: scope.refuse('tooLarge', responses.tooLarge(limits.maxBodyBytes), { bytes: body.length }) };
  if (!isJsonContentType(header(event, 'content-type'))) return { answer: scope.refuse('unsupportedMediaType', responses.unsupportedMediaType()) };

  const nowSeconds = Math.floor(webhook.now() / 1_000);
  const verdict = authenticate(
    settings.auth,
    { header: (name) => header(event, name), sourceIp: clientIp, body },
    { secrets: await webhook.deps.secrets(settings.secretId), nowSeconds, toleranceSeconds: limits.signatureToleranceSeconds },
  );
  // The reason is ours to know (logs, alarms); the caller gets the same 401 whatever it is.
  if (!verdict.ok) return { answer: scope.refuse('unauthorized', responses.unauthorized(), { reason: verdict.reason }) };
  return { body, replay: replayRecord(scope.courier, verdict.credentials, body, { nowSeconds, signatureToleranceSeconds: limits.signatureToleranceSeconds }) };
}

/** The body's scans, checked, paired with their kits and turned into events. */
async function readEvents(webhook: Webhook, scope: RequestScope, body: Buffer): Promise<Step<{ events: CourierKitStatusEvent[]; awbsLearnt: number }>> {
  const { limits } = webhook.deps;
  const { courier, settings, logger } = scope;
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    // The parser's message quotes the body: it is neither logged nor returned.
    return { answer: scope.refuse('malformedJson', responses.malformedJson()) };
  }
  const read = readCourierPayload(json, settings, {
    maxEvents: limits.maxEventsPerRequest,
    nowMs: webhook.now(),
    earliestMs: limits.earliestOccurredAtMs,
    maxFutureMs: limits.maxFutureSeconds * 1_000,
  });
  if (read.kind === 'invalid') return { answer: scope.refuse('invalid', responses.invalid(read.issues), { paths: read.issues.map((issue) => issue.path) }) };
  if (read.kind === 'unknownCodes') {
    // Needs an operator: a code to add to the integration's statusCodes (or a courier to call).
    logger.error('courier sent status codes with no mapping', { courier, codes: read.codes.map(loggableCode) });
    return { answer: scope.finish('unknownStatusCode', responses.unknownStatusCodes(read.codes)) };
  }
  const kits = await resolveKits(read.scans, settings, webhook.deps.awbIndex);
  if (kits.kind === 'unknownAwbs') {
    logger.error('courier scans name waybills no scan has paired with a kit yet', { courier, awbs: kits.awbs.map((awb) => ({ awb })) });
    return { answer: scope.finish('unknownAwb', responses.unknownAwbs(kits.awbs)) };
  }
  if (kits.conflicts > 0) logger.warn('scans pair a waybill with another kit than the one learnt first; they keep their own reference', { courier, scans: kits.conflicts });
  return { events: toEvents(kits.scans, settings), awbsLearnt: kits.learnt };
}
