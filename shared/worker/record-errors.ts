import { IdempotencyAlreadyInProgressError, IdempotencyPersistenceLayerError } from '@aws-lambda-powertools/idempotency';
import { FailureCategory, IntegrationError, toIntegrationError } from '../resilience/errors.js';

/**
 * Idempotency-layer failures in the taxonomy: another worker holding the same business key, or
 * the store being unreachable, are both "try again later".
 */
export function classifyRecordError(error: unknown): IntegrationError {
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return new IntegrationError({ category: FailureCategory.Transient, code: 'IN_PROGRESS', message: 'the same business key is being processed by another delivery' });
  }
  if (error instanceof IdempotencyPersistenceLayerError) {
    return new IntegrationError({ category: FailureCategory.Transient, code: 'IDEMPOTENCY_STORE', message: 'idempotency store unavailable', cause: error });
  }
  return toIntegrationError(error);
}
