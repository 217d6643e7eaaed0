import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';

/** Integration errors of each category, for the resilience tests. */
export const transient = (extra: Partial<ConstructorParameters<typeof IntegrationError>[0]> = {}) =>
  new IntegrationError({ category: FailureCategory.Transient, code: 'HTTP_503', message: 'down', status: 503, ...extra });
export const permanent = () => new IntegrationError({ category: FailureCategory.Permanent, code: 'invalid.input.request', message: 'bad', status: 400 });
export const unknown = () => new IntegrationError({ category: FailureCategory.UnknownOutcome, code: 'TIMEOUT', message: 'lost' });

/** Retries without waiting. */
export const fast = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2, minAttemptMs: 0 };
