import { createWorkerRuntime } from '../../shared/worker/runtime.js';
import { createCoreBankingHandler } from './app.js';

/** Lambda entry: the runtime (clients, configuration) is built once per instance, at cold start. */
export const handler = createCoreBankingHandler(createWorkerRuntime());
