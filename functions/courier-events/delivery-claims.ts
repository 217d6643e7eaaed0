import { IdempotencyItemAlreadyExistsError, IdempotencyRecordStatus } from '@aws-lambda-powertools/idempotency';
import type { IdempotencySetup } from '../../shared/persistence/idempotency.js';

export type Claim = 'claimed' | 'completed' | 'inProgress';

/**
 * Idempotency records for courier events, used step by step rather than around one function:
 * one DCMS call covers many kits, so each kit's event is claimed before the call and completed
 * (or released, when it failed) after its own per-kit result.
 */
export class DeliveryClaims {
  constructor(private readonly idempotency: IdempotencySetup) {
    idempotency.persistenceStore.configure({ config: idempotency.config, keyPrefix: 'courier-delivery' });
  }

  async claim(key: string, remainingTimeMs: number): Promise<Claim> {
    try {
      await this.idempotency.persistenceStore.saveInProgress({ key }, remainingTimeMs);
      return 'claimed';
    } catch (error) {
      if (!(error instanceof IdempotencyItemAlreadyExistsError)) throw error;
      const status = error.existingRecord?.getStatus();
      return status === IdempotencyRecordStatus.COMPLETED ? 'completed' : 'inProgress';
    }
  }

  async complete(key: string, outcome: string): Promise<void> {
    await this.idempotency.persistenceStore.saveSuccess({ key }, { outcome });
  }

  /** A failed kit must be processable again (after a redrive), so its claim is removed. */
  async release(key: string): Promise<void> {
    await this.idempotency.persistenceStore.deleteRecord({ key });
  }
}
