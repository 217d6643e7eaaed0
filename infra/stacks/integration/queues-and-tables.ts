import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { QUEUES, TABLES, type QueueKey, type TableKey } from '../../../shared/config/resources.js';
import { IntegrationTable } from '../../constructs/integration-table.js';
import { WorkerQueue } from '../../constructs/worker-queue.js';

/** Where the stage keeps its data: every resource is named by the prefix and encrypted with the stage key. */
export interface DataPlacement {
  prefix: string;
  key: IKey;
}

export type StageQueues = Record<QueueKey, WorkerQueue>;
export type StageTables = Record<TableKey, Table>;

/** Each worker's queue and its DLQ, built from the one shared description (the local stack builds the same). */
export function createQueues(scope: Construct, { prefix, key }: DataPlacement): StageQueues {
  const queue = (id: string, description: (typeof QUEUES)[QueueKey]) => new WorkerQueue(scope, id, { description, prefix, key });
  return {
    coreBanking: queue('CoreBankingQueue', QUEUES.coreBanking),
    coreBankingBulk: queue('CoreBankingBulkQueue', QUEUES.coreBankingBulk),
    courier: queue('CourierQueue', QUEUES.courier),
    cardControls: queue('CardControlsQueue', QUEUES.cardControls),
  };
}

/** The tables, from the same shared description; `deletionProtection` where the stage keeps its data. */
export function createTables(scope: Construct, { prefix, key }: DataPlacement, deletionProtection: boolean): StageTables {
  const table = (id: string, description: (typeof TABLES)[TableKey]) => new IntegrationTable(scope, id, { description, prefix, key, deletionProtection }).table;
  return {
    idempotency: table('IdempotencyTable', TABLES.idempotency),
    integrationState: table('IntegrationStateTable', TABLES.integrationState),
    webhookReplay: table('WebhookReplayTable', TABLES.webhookReplay),
  };
}
