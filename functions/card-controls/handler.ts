import { createCard91WorkerRuntime } from '../../shared/worker/card91-runtime.js';
import { createCardControlsHandler } from './app.js';

/** Lambda entry: the runtime (clients, configuration) is built once per instance, at cold start. */
export const handler = createCardControlsHandler(createCard91WorkerRuntime());
