import type { QueueDescription } from '../../../shared/config/resources.js';

/**
 * Settings of the local event source (how the pollers drive the workers). Production values (minutes) would make a local run wait
 * minutes for a retry; these keep the same relations at a scale of seconds.
 *
 * A record that fails is retried after 1–2 s whatever these are: the worker itself sets its
 * visibility (VISIBILITY_BASE/MAX_SECONDS in localWorkerEnv's fast mode). The queue's own
 * visibility timeout only brings back the records of an invocation that failed as a whole.
 */

/**
 * Function timeout of a local invocation. A full courier batch (100 records, several DynamoDB
 * Local writes each, DCMS retries) takes a second or two; at 2 s, middy's timeout would abort
 * healthy invocations and every record would come back, only to be a duplicate.
 */
export const LOCAL_FUNCTION_TIMEOUT_SECONDS = 5;

/**
 * Queue visibility timeout: never shorter than the function timeout (Lambda refuses that, or a
 * record would reappear while still being handled), plus the batching window and settling time.
 */
export const LOCAL_VISIBILITY_SECONDS = LOCAL_FUNCTION_TIMEOUT_SECONDS + 1;

/** The batching window, capped so that gathering a batch leaves most of the visibility for handling it. */
export const localBatchingWindowSeconds = (queue: QueueDescription): number => Math.min(queue.batchingWindowSeconds, 0.25);

/**
 * Instances per worker unless `npm start -- --instances N` says otherwise: each its own runtime
 * (clients, breaker, limiter), as Lambda runs separate execution environments, each with a poller.
 * Two is the least maxConcurrency Lambda allows an SQS event source; a run at the deployed
 * maxConcurrency (infra/README.md) shows the fleet's behaviour. FIFO order holds across instances,
 * as SQS hands a group to one consumer at a time.
 */
export const LOCAL_INSTANCES_PER_WORKER = 2;
