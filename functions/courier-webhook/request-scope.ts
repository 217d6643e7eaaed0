import type { Logger } from '@aws-lambda-powertools/logger';
import type { CourierSettings } from '../../shared/courier/couriers.js';
import type { Outcome, RecordOutcome } from './outcomes.js';
import { responses, type WebhookResponse } from './responses.js';

/** One request of a known courier, and the ways it may end (each counted and, where it says so, logged). */
export interface RequestScope {
  readonly settings: CourierSettings;
  readonly courier: string;
  readonly logger: Logger;
  /** Counts the outcome and returns the answer. */
  finish(outcome: Outcome, response: WebhookResponse, eventsAccepted?: number): WebhookResponse;
  /** A refusal: logged with its outcome and status (and the details, which never quote the payload). */
  refuse(outcome: Outcome, response: WebhookResponse, details?: Record<string, unknown>): WebhookResponse;
  /** A request already accepted: answered with its original event ids. */
  replayed(eventIds: readonly string[]): WebhookResponse;
}

export function requestScope(settings: CourierSettings, logger: Logger, record: RecordOutcome): RequestScope {
  const { courier } = settings;
  const finish: RequestScope['finish'] = (outcome, response, eventsAccepted) => record(outcome, courier, response, eventsAccepted);
  return {
    settings,
    courier,
    logger,
    finish,
    refuse(outcome, response, details = {}) {
      logger.warn('courier request refused', { courier, outcome, status: response.statusCode, ...details });
      return finish(outcome, response);
    },
    replayed(eventIds) {
      // A retry whose answer got lost, or a replay of a captured request: no effect either way.
      logger.warn('courier request replayed; answered with its original ids', { courier, events: eventIds.map((eventId) => ({ eventId })) });
      return finish('replayed', responses.alreadyAccepted(eventIds));
    },
  };
}
