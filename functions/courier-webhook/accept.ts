import type { CourierKitStatusEvent } from '../../shared/contracts/index.js';
import { IntegrationError } from '../../shared/resilience/errors.js';
import { enqueueEvents, type EnqueueOptions } from './enqueue.js';
import type { ReplayGuard } from './replay.js';
import type { RequestScope } from './request-scope.js';
import { responses, type WebhookResponse } from './responses.js';

export interface Acceptance {
  /** The request's replay record, claimed by this request. */
  replayKey: string;
  events: readonly CourierKitStatusEvent[];
  /** Waybills paired with a kit by this request's scans. */
  awbsLearnt: number;
  /** When the last SQS attempt must have ended (epoch ms). */
  deadline: number;
}

/** SQS refused the entries themselves (SenderFault): the same request would be refused again. */
const isPermanent = (error: unknown): boolean => error instanceof IntegrationError && error.deadLetterNow;

/**
 * Queues the events, all or none from the courier's point of view, and answers: 202 with their ids
 * once all are queued (the replay record then completed), else a 5xx with the claim released.
 */
export async function queueAndAnswer(scope: RequestScope, deps: { enqueue: EnqueueOptions; replay: ReplayGuard }, acceptance: Acceptance): Promise<WebhookResponse> {
  const { courier, logger } = scope;
  const { replayKey, events } = acceptance;
  try {
    await enqueueEvents(events, deps.enqueue, {
      deadline: acceptance.deadline,
      onRetry: (retry) => logger.warn('retrying SQS entries that were not queued', { courier, ...retry }),
    });
  } catch (error) {
    const permanent = isPermanent(error);
    // The error's code and category only: SQS messages may describe the entries' contents.
    const cause = error instanceof IntegrationError ? { category: error.category, code: error.code } : { errorName: error instanceof Error ? error.name : typeof error };
    logger.error(permanent ? 'courier events refused by SQS; a retry cannot succeed' : 'courier events not queued; the courier must retry', { courier, count: events.length, ...cause });
    // Without the claim the courier's retry of this very request is processed, not taken for a replay.
    await deps.replay
      .release(replayKey)
      .catch((releaseError: unknown) => logger.error('could not release the replay claim; a retry of the same request waits for its lock to expire', { courier, error: releaseError as Error }));
    return permanent ? scope.finish('unqueueable', responses.unqueueable()) : scope.finish('enqueueFailed', responses.enqueueFailed());
  }
  // The events are queued: a failure to mark the claim only means a replay would be queued again,
  // which the deterministic ids and the worker's idempotency absorb.
  const eventIds = events.map((e) => e.id);
  await deps.replay.complete(replayKey, eventIds).catch((completeError: unknown) => logger.warn('could not mark the replay record completed', { courier, error: completeError as Error }));
  // Identifiers only, under the keys the log masking keeps readable (a bare kitNo in a list would be masked as a number).
  logger.info('courier events accepted', {
    courier,
    tenant: scope.settings.tenant,
    count: events.length,
    ...(acceptance.awbsLearnt > 0 && { awbsLearnt: acceptance.awbsLearnt }),
    events: events.map((e) => ({ eventId: e.id, kitNo: e.data.kitNo, status: e.data.status })),
  });
  return scope.finish('accepted', responses.accepted(eventIds), events.length);
}
