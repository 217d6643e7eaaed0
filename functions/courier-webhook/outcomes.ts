import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SetMetrics } from '../../shared/observability/metric-sets.js';
import type { WebhookResponse } from './responses.js';

/** How each request ended, as counted in `WebhookRequests` by the `outcome` dimension. */
export type Outcome =
  | 'accepted'
  | 'notThroughEdge'
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

export type RecordOutcome = (outcome: Outcome, courier: string, response: WebhookResponse, eventsAccepted?: number) => WebhookResponse;

/** Counts the request under its outcome and courier (and the events it queued), then hands its answer back. */
export function outcomeRecorder(metrics: SetMetrics): RecordOutcome {
  return (outcome, courier, response, eventsAccepted = 0) => {
    metrics.addToSet({ outcome, courier }, 'WebhookRequests', MetricUnit.Count, 1);
    if (eventsAccepted > 0) metrics.addToSet({ outcome, courier }, 'CourierEventsAccepted', MetricUnit.Count, eventsAccepted);
    return response;
  };
}
