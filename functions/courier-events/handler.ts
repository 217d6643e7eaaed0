import { createDcmsWorkerRuntime } from '../../shared/worker/dcms-runtime.js';
import { createCourierHandler } from './app.js';

/** Lambda entry: the runtime (clients, configuration) is built once per instance, at cold start. */
export const handler = createCourierHandler(createDcmsWorkerRuntime());
