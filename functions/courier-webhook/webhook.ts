import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { IntegrationError } from '../../shared/resilience/errors.js';
import { TokenBucketLimiter } from '../../shared/resilience/rate-limiter.js';
import { authenticate } from './authenticate.js';
import type { CourierDirectory, CourierSettings } from './couriers.js';
import { enqueueEvents, type EnqueueOptions } from './enqueue.js';
import { resolveKits, type AwbDirectory } from './kits.js';
import { fingerprint, loggableCode } from './log-safe.js';
import { readCourierPayload, toEvents } from './mapping/index.js';
import { replayRecord, type ReplayGuard } from './replay.js';
import { header, isJsonContentType, rawBody } from './request.js';
import { responses, type WebhookResponse } from './responses.js';
import type { SecretsSource } from './secrets.js';

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
  telemetry: { logger: Logger; metrics: Metrics };
  limits: WebhookLimits;
  /** Time kept back from the function's deadline for answering after the last SQS attempt. */
  deadlineMarginMs: number;
  now?: () => number;
}

export type CourierWebhookHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<WebhookResponse>;

/** How each request ended, as counted in `WebhookRequests` by the `outcome` dimension. */
type Outcome =
  | 'accepted'
  | 'replayed'
  | 'inProgress'
  | 'unknownCourier'
  | 'tooLarge'
  | 'unsupportedMediaType'
  | 'unauthorized'
  | 'rateLimited'
  | 'malformedJson'
  | 'invalid'
  | 'unknownStatusCode'
  | 'unknownAwb'
  | 'unqueueable'
  | 'enqueueFailed'
  | 'error';

const UNKNOWN = '(unknown)';

/** SQS refused the entries themselves (SenderFault): the same request would be refused again. */
const isPermanent = (error: unknown): boolean => error instanceof IntegrationError && error.deadLetterNow;

/**
 * `POST /couriers/{courier}/events` (API Gateway HTTP API, payload v2). Checks run cheapest and
 * least revealing first: courier, size, media type, authentication (the integration's mode); then
 * replay (one read: a replay is answered before it spends the courier's rate), rate, body,
 * mapping, kits; the events are queued last, all or none from the courier's point of view
 * (anything short of all queued is a 5xx when a retry can help, so the courier sends it again).
 * Nothing the courier sent is logged beyond codes, ids and lengths.
 */
export function createCourierWebhookHandler(deps: CourierWebhookDependencies): CourierWebhookHandler {
  const { logger, metrics } = deps.telemetry;
  const { limits } = deps;
  const now = deps.now ?? Date.now;
  // Non-blocking: a request over its courier's limit is answered 429 at once rather than held. It runs
  // after authentication and the replay check, so neither forged requests nor replays spend a
  // genuine courier's tokens.
  const throttle = new TokenBucketLimiter({ now });

  const finish = (outcome: Outcome, courier: string, response: WebhookResponse, eventsAccepted = 0): WebhookResponse => {
    const single = metrics.singleMetric();
    single.addDimensions({ outcome, courier });
    single.addMetric('WebhookRequests', MetricUnit.Count, 1);
    if (eventsAccepted > 0) single.addMetric('CourierEventsAccepted', MetricUnit.Count, eventsAccepted);
    return response;
  };

  const handle = async (event: APIGatewayProxyEventV2, context: Context, settings: CourierSettings): Promise<WebhookResponse> => {
    const { courier } = settings;
    const refuse = (outcome: Outcome, response: WebhookResponse, details: Record<string, unknown> = {}) => {
      logger.warn('courier request refused', { courier, outcome, status: response.statusCode, ...details });
      return finish(outcome, courier, response);
    };
    const replayed = (eventIds: readonly string[]) => {
      // A retry whose answer got lost, or a replay of a captured request: no effect either way.
      logger.warn('courier request replayed; answered with its original ids', { courier, events: eventIds.map((eventId) => ({ eventId })) });
      return finish('replayed', courier, responses.alreadyAccepted(eventIds));
    };

    const body = rawBody(event);
    if (body.length > limits.maxBodyBytes) return refuse('tooLarge', responses.tooLarge(limits.maxBodyBytes), { bytes: body.length });
    if (!isJsonContentType(header(event, 'content-type'))) return refuse('unsupportedMediaType', responses.unsupportedMediaType());

    const nowSeconds = Math.floor(now() / 1_000);
    const verdict = authenticate(
      settings.auth,
      { header: (name) => header(event, name), sourceIp: event.requestContext?.http?.sourceIp, body },
      { secrets: await deps.secrets(settings.secretId), nowSeconds, toleranceSeconds: limits.signatureToleranceSeconds },
    );
    // The reason is ours to know (logs, alarms); the caller gets the same 401 whatever it is.
    if (!verdict.ok) return refuse('unauthorized', responses.unauthorized(), { reason: verdict.reason });

    const replay = replayRecord(courier, verdict.credentials, body, { nowSeconds, signatureToleranceSeconds: limits.signatureToleranceSeconds });
    const seen = await deps.replay.peek(replay.key);
    if (seen.kind === 'completed') return replayed(seen.eventIds);
    if (seen.kind === 'inProgress') return refuse('inProgress', responses.inProgress());

    const waitMs = throttle.tryAcquire(courier, settings.rateLimit);
    if (waitMs > 0) return refuse('rateLimited', responses.rateLimited(Math.ceil(waitMs / 1_000)));

    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      // The parser's message quotes the body: it is neither logged nor returned.
      return refuse('malformedJson', responses.malformedJson());
    }
    const read = readCourierPayload(json, settings, {
      maxEvents: limits.maxEventsPerRequest,
      nowMs: now(),
      earliestMs: limits.earliestOccurredAtMs,
      maxFutureMs: limits.maxFutureSeconds * 1_000,
    });
    if (read.kind === 'invalid') return refuse('invalid', responses.invalid(read.issues), { paths: read.issues.map((issue) => issue.path) });
    if (read.kind === 'unknownCodes') {
      // Needs an operator: a code to add to the integration's statusCodes (or a courier to call).
      logger.error('courier sent status codes with no mapping', { courier, codes: read.codes.map(loggableCode) });
      return finish('unknownStatusCode', courier, responses.unknownStatusCodes(read.codes));
    }
    const kits = await resolveKits(read.scans, settings, deps.awbIndex);
    if (kits.kind === 'unknownAwbs') {
      logger.error('courier scans name waybills no scan has paired with a kit yet', { courier, awbs: kits.awbs.map((awb) => ({ awb })) });
      return finish('unknownAwb', courier, responses.unknownAwbs(kits.awbs));
    }
    if (kits.conflicts > 0) logger.warn('scans pair a waybill with another kit than the one learnt first; they keep their own reference', { courier, scans: kits.conflicts });
    const events = toEvents(kits.scans, settings);
    const eventIds = events.map((e) => e.id);

    const functionDeadline = now() + context.getRemainingTimeInMillis();
    const claim = await deps.replay.claim(replay.key, { expiresAtSeconds: replay.expiresAtSeconds, lockedUntilMs: functionDeadline });
    if (claim.kind === 'completed') return replayed(claim.eventIds);
    if (claim.kind === 'inProgress') return refuse('inProgress', responses.inProgress());

    try {
      await enqueueEvents(events, deps.enqueue, {
        deadline: functionDeadline - deps.deadlineMarginMs,
        onRetry: (retry) => logger.warn('retrying SQS entries that were not queued', { courier, ...retry }),
      });
    } catch (error) {
      const permanent = isPermanent(error);
      // The error's code and category only: SQS messages may describe the entries' contents.
      const cause = error instanceof IntegrationError ? { category: error.category, code: error.code } : { errorName: error instanceof Error ? error.name : typeof error };
      logger.error(permanent ? 'courier events refused by SQS; a retry cannot succeed' : 'courier events not queued; the courier must retry', { courier, count: events.length, ...cause });
      // Without the claim the courier's retry of this very request is processed, not taken for a replay.
      await deps.replay.release(replay.key).catch((releaseError: unknown) =>
        logger.error('could not release the replay claim; a retry of the same request waits for its lock to expire', { courier, error: releaseError as Error }),
      );
      return permanent ? finish('unqueueable', courier, responses.unqueueable()) : finish('enqueueFailed', courier, responses.enqueueFailed());
    }
    // The events are queued: a failure to mark the claim only means a replay would be queued again,
    // which the deterministic ids and the worker's idempotency absorb.
    await deps.replay.complete(replay.key, eventIds).catch((completeError: unknown) =>
      logger.warn('could not mark the replay record completed', { courier, error: completeError as Error }),
    );
    // Identifiers only, under the keys the log masking keeps readable (a bare kitNo in a list would be masked as a number).
    logger.info('courier events accepted', {
      courier,
      tenant: settings.tenant,
      count: events.length,
      ...(kits.learnt > 0 && { awbsLearnt: kits.learnt }),
      events: events.map((e) => ({ eventId: e.id, kitNo: e.data.kitNo, status: e.data.status })),
    });
    return finish('accepted', courier, responses.accepted(eventIds), events.length);
  };

  return async (event, context) => {
    const name = event.pathParameters?.courier ?? '';
    let settings: CourierSettings | undefined;
    try {
      settings = (await deps.couriers()).get(name);
      if (!settings) {
        // The name is the caller's text: logged as a fingerprint, never used as a metric dimension.
        logger.warn('request for an unknown courier', { courierName: fingerprint(name) });
        return finish('unknownCourier', UNKNOWN, responses.unknownCourier());
      }
      return await handle(event, context, settings);
    } catch (error) {
      // Configuration, secrets or the replay table failed: our fault, and worth the courier's retry.
      logger.error('courier webhook failed', { courier: settings?.courier, error: error as Error });
      return finish('error', settings?.courier ?? UNKNOWN, responses.internalError());
    }
  };
}
