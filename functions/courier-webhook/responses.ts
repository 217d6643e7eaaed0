import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FieldIssue } from './mapping/index.js';

/**
 * Every answer of the courier webhook: JSON `{ error, message, … }` for a refusal, so a courier's
 * developer can act on it without asking us. Bodies never echo the payload.
 */
export type WebhookResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

const HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

const json = (statusCode: number, body: object, headers: Record<string, string> = {}): WebhookResponse => ({
  statusCode,
  headers: { ...HEADERS, ...headers },
  body: JSON.stringify(body),
});

const refusal = (statusCode: number, error: string, message: string, extra: object = {}, headers: Record<string, string> = {}) => json(statusCode, { error, message, ...extra }, headers);

export const responses = {
  accepted: (eventIds: readonly string[]) => json(202, { accepted: eventIds.length, eventIds }),
  /** A replay of a request accepted before: the same ids, nothing queued again. */
  alreadyAccepted: (eventIds: readonly string[]) => json(200, { accepted: eventIds.length, eventIds, replayed: true }),
  malformedJson: () => refusal(400, 'malformed_json', 'the body is not valid JSON'),
  invalid: (issues: readonly FieldIssue[]) => refusal(400, 'invalid_request', 'the body does not match the courier format; see issues', { issues }),
  /** One body for every authentication failure, whatever the reason, and for an unknown courier: no oracle for forgers. */
  unauthorized: () => refusal(401, 'unauthorized', 'missing, expired or invalid credentials'),
  /** Not through the stage's edge: the same answer whatever the request, nothing of it read. */
  forbidden: () => refusal(403, 'forbidden', 'requests must be sent to the published webhook host name'),
  inProgress: () => refusal(409, 'request_in_progress', 'this request is being processed; retry it shortly', {}, { 'retry-after': '1' }),
  tooLarge: (limit: number) => refusal(413, 'payload_too_large', `the body must not exceed ${limit} bytes`),
  unsupportedMediaType: () => refusal(415, 'unsupported_media_type', 'content-type must be application/json (charset utf-8)'),
  unknownStatusCodes: (codes: readonly string[]) => refusal(422, 'unknown_status_code', `no delivery status is mapped for courier code ${codes.join(', ')}; nothing was accepted`, { codes }),
  unknownAwbs: (awbs: readonly string[]) => refusal(422, 'unknown_awb', `no kit is known for waybill ${awbs.join(', ')}: send a scan carrying its reference first; nothing was accepted`, { awbs }),
  /** SQS refused the events as they are: sending the same request again cannot succeed. */
  unqueueable: () => refusal(422, 'unqueueable_event', 'the events could not be queued as sent, and the same request would fail again; nothing was accepted'),
  rateLimited: (retryAfterSeconds: number) => refusal(429, 'rate_limited', 'too many requests for this courier; retry later', {}, { 'retry-after': String(retryAfterSeconds) }),
  internalError: () => refusal(500, 'internal_error', 'the request could not be processed; retry it later'),
  /** Not every event could be queued: nothing may be assumed accepted, the courier must retry. */
  enqueueFailed: () => refusal(503, 'enqueue_failed', 'the events could not be queued; retry the request', {}, { 'retry-after': '5' }),
};
