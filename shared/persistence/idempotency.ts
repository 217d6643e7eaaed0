import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface IdempotencySetup {
  persistenceStore: DynamoDBPersistenceLayer;
  config: IdempotencyConfig;
}

/**
 * Powertools idempotency on DynamoDB. Every idempotent unit of work is called with an object whose
 * `key` is the tenant-scoped business key; only that key is hashed, so two events with different
 * ids for the same business fact share one record.
 */
export function createIdempotency(client: DynamoDBClient, tableName: string, ttlSeconds: number): IdempotencySetup {
  return {
    persistenceStore: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client }),
    config: new IdempotencyConfig({ eventKeyJmesPath: 'key', expiresAfterSeconds: ttlSeconds, throwOnNoIdempotencyKey: true }),
  };
}

/** Business keys (docs/architecture.md §2), tenant first so no two tenants can ever share a record. */
export const businessKeys = {
  customer: (tenant: string, entityId: string) => `customer#${tenant}#${entityId}`,
  card: (tenant: string, entityId: string, accountNo: string, cardType: string) => `card#${tenant}#${entityId}#${accountNo}#${cardType}`,
  delivery: (tenant: string, kitNo: string, status: string, occurredAt: string) => `delivery#${tenant}#${kitNo}#${status}#${occurredAt}`,
  cardControl: (tenant: string, commandId: string) => `card-control#${tenant}#${commandId}`,
};
