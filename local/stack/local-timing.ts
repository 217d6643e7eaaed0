import type { QueueDescription } from '../../shared/config/resources.js';

/**
 * Timing of the local event source. Production values (minutes) would make a local run wait
 * minutes for a retry; these keep the same relations at a scale of seconds.
 */

/** Queue visibility timeout: records of an invocation that failed as a whole come back this soon. */
export const LOCAL_VISIBILITY_SECONDS = 2;

/**
 * Function timeout of a local invocation. Lambda refuses an event source whose queue visibility is
 * shorter than the function timeout (a record would reappear while still being handled); so do we.
 */
export const LOCAL_FUNCTION_TIMEOUT_SECONDS = LOCAL_VISIBILITY_SECONDS;

/** The batching window, capped so that gathering a batch leaves most of the visibility for handling it. */
export const localBatchingWindowSeconds = (queue: QueueDescription): number => Math.min(queue.batchingWindowSeconds, 0.25);
