import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { CourierDirectory, CourierSettings } from './couriers.js';
import { enqueueEvents, type EnqueueOptions } from './enqueue.js';
import { mapCourierPayload } from './mapping/index.js';
import { replayKey, type ReplayGuard } from './replay.js';
import { header, isJsonContentType, rawBody } from './request.js';
import { responses, type WebhookResponse } from './responses.js';
import type { SecretsSource } from './secrets.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './signature.js';
import { TokenBucketLimiter } from '../../shared/resilience/rate-limiter.js';

export interface WebhookLimits {
  maxBodyBytes: number;
  maxEventsPerRequest: number;
  signatureToleranceSeconds: number;
}

export interface CourierWebhookDependencies {
  couriers: () => Promise<CourierDirectory>;
  secrets: SecretsSource;
  replay: ReplayGuard;
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
  | 'enqueueFailed'
  | 'error';

const UNKNOWN = '(unknown)';

/** Signed timestamps may be this far off beyond the tolerance (clock drift between instances). */
const CLOCK_SKEW_SECONDS = 60;

/**
 * `POST /couriers/{courier}/events` (API Gateway HTTP API, payload v2). Checks run cheapest and
 * least revealing first: courier, size, media type, signature; then rate, body, mapping, replay;
 * the events are queued last, all or none from the courier's point of view (anything short of
 * all queued is a 5xx, so the courier sends the request again).
 */
export function createCourierWebhookHandler(deps: CourierWebhookDependencies): CourierWebhookHandler {
  const { logger, metrics } = deps.telemetry;
  const { limits } = deps;
  const now = deps.now ?? Date.now;
  // Non-blocking: a request over its courier's limit is answered 429 at once rather than held. It runs
  // after authentication, so forged requests cannot spend a genuine courier's tokens.
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

    const body = rawBody(event);
    if (body.length > limits.maxBodyBytes) return refuse('tooLarge', responses.tooLarge(limits.maxBodyBytes), { bytes: body.length });
    if (!isJsonContentType(header(event, 'content-type'))) return refuse('unsupportedMediaType', responses.unsupportedMediaType());

    const verdict = verifySignature(
      { timestamp: header(event, TIMESTAMP_HEADER), signature: header(event, SIGNATURE_HEADER), body },
      { secrets: await deps.secrets(settings.secretId), nowSeconds: Math.floor(now() / 1_000), toleranceSeconds: limits.signatureToleranceSeconds },
    );
    // The reason is ours to know (logs, alarms); the caller gets the same 401 whatever it is.
    if (!verdict.ok) return refuse('unauthorized', responses.unauthorized(), { reason: verdict.reason });

    const waitMs = throttle.tryAcquire(courier, settings.rateLimit);
    if (waitMs > 0) return refuse('rateLimited', responses.rateLimited(Math.ceil(waitMs / 1_000)));

    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      // The parser's message quotes the body: it is neither logged nor returned.
      return refuse('malformedJson', responses.malformedJson());
    }
    const mapped = mapCourierPayload(json, settings, limits.maxEventsPerRequest);
    if (mapped.kind === 'invalid') return refuse('invalid', responses.invalid(mapped.issues), { paths: mapped.issues.map((issue) => issue.path) });
    if (mapped.kind === 'unknownCodes') {
      // Needs an operator: a code to add to the integration's statusCodes (or a courier to call).
      logger.error('courier sent status codes with no mapping', { courier, codes: mapped.codes });
      return finish('unknownStatusCode', courier, responses.unknownStatusCodes(mapped.codes));
    }
    const { events } = mapped;
    const eventIds = events.map((e) => e.id);

    const key = replayKey(courier, verdict.timestamp, body);
    const functionDeadline = now() + context.getRemainingTimeInMillis();
    const claim = await deps.replay.claim(key, {
      expiresAtSeconds: verdict.timestamp + limits.signatureToleranceSeconds + CLOCK_SKEW_SECONDS,
      lockedUntilMs: functionDeadline,
    });
    if (claim.kind === 'completed') {
      // A retry whose answer got lost, or a replay of a captured request: no effect either way.
      logger.warn('courier request replayed; answered with its original ids', { courier, events: claim.eventIds.map((eventId) => ({ eventId })) });
      return finish('replayed', courier, responses.alreadyAccepted(claim.eventIds));
    }
    if (claim.kind === 'inProgress') return refuse('inProgress', responses.inProgress());

    try {
      await enqueueEvents(events, deps.enqueue, {
        deadline: functionDeadline - deps.deadlineMarginMs,
        onRetry: (retry) => logger.warn('retrying SQS entries that were not queued', { courier, ...retry }),
      });
    } catch (error) {
      logger.error('courier events not queued; the courier must retry', { courier, count: events.length, error: error as Error });
      // Without the claim the courier's retry of this very request is processed, not taken for a replay.
      await deps.replay.release(key).catch((releaseError: unknown) =>
        logger.error('could not release the replay claim; a retry of the same request waits for its lock to expire', { courier, error: releaseError as Error }),
      );
      return finish('enqueueFailed', courier, responses.enqueueFailed());
    }
    // The events are queued: a failure to mark the claim only means a replay would be queued again,
    // which the deterministic ids and the worker's idempotency absorb.
    await deps.replay.complete(key, eventIds).catch((completeError: unknown) =>
      logger.warn('could not mark the replay record completed', { courier, error: completeError as Error }),
    );
    // Identifiers only, under the keys the log masking keeps readable (a bare kitNo in a list would be masked as a number).
    logger.info('courier events accepted', {
      courier,
      tenant: settings.tenant,
      count: events.length,
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
        // The name is the caller's text: logged cut short, never used as a metric dimension.
        logger.warn('request for an unknown courier', { courierName: name.slice(0, 64) });
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
