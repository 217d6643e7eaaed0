import * as z from 'zod';
import { queueWorkerShape, tenantsSource, tenantsSourceMessage } from './queue-worker-env.js';

/*
 * Every worker kind's environment schema in one place, for the infrastructure that sets the
 * variables and for tests. A function imports only its own kind's module (dcms-worker-env.ts,
 * card91-worker-env.ts): this one would build them all at its cold start.
 */

export { card91WorkerEnv, type Card91WorkerEnv } from './card91-worker-env.js';
export { dcmsWorkerEnv, type DcmsWorkerEnv } from './dcms-worker-env.js';
export { loadEnv } from './queue-worker-env.js';

/** Any queue worker: the variables every kind shares. */
export const queueWorkerEnv = z.object(queueWorkerShape).refine(tenantsSource, tenantsSourceMessage);
export type QueueWorkerEnv = z.infer<typeof queueWorkerEnv>;
