import type { Construct } from 'constructs';
import type { StageSettings } from '../../config/app-config.js';
import { assertDcmsBudget, DCMS_LOAD } from '../../config/dcms-concurrency.js';
import { Card91Worker } from '../../constructs/card91-worker.js';
import { DcmsWorker, type DcmsAccess } from '../../constructs/dcms-worker.js';
import type { FunctionSettings } from '../../constructs/integration-function.js';
import type { QueueWorker, WorkerCommon } from '../../constructs/queue-worker.js';
import type { StageQueues, StageTables } from './queues-and-tables.js';
import type { RuntimeConfiguration } from './runtime-configuration.js';

/** What core banking does in the integration-state table: KitLedger.recordIssued, PendingSends. */
const CORE_BANKING_STATE_ACTIONS = ['dynamodb:UpdateItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'];

/** What the queue workers are built from. */
export interface QueueWorkersInput {
  settings: StageSettings;
  functions: FunctionSettings;
  queues: StageQueues;
  tables: StageTables;
  configuration: RuntimeConfiguration;
}

/** The stage's queue workers, by the queue they drain. */
export type StageWorkers = Record<'coreBanking' | 'coreBankingBulk' | 'courier' | 'cardControls', QueueWorker>;

/** Every queue worker of the stage: one declaration each. */
export function createQueueWorkers(scope: Construct, input: QueueWorkersInput): StageWorkers {
  const common: WorkerCommon = { idempotencyTable: input.tables.idempotency, tenantsParameter: input.configuration.tenantsParameter };
  return { ...createDcmsWorkers(scope, input, common), cardControls: createCard91Worker(scope, input, common) };
}

/** The workers calling DCMS, each sized to its share of every tenant's DCMS budget. */
function createDcmsWorkers(scope: Construct, { settings, functions, queues, tables, configuration }: QueueWorkersInput, common: WorkerCommon) {
  assertDcmsBudget([DCMS_LOAD.coreBanking, DCMS_LOAD.courier]);
  const dcms: DcmsAccess = {
    baseUrl: settings.dcms.baseUrl,
    typicalLatencyMs: settings.dcms.typicalLatencyMs,
    bulkShare: settings.dcms.bulkShare,
    tenants: settings.tenants,
    credentials: configuration.secrets.dcmsCredentials,
    stateTable: tables.integrationState,
  };
  const shared = { functions, common, dcms };
  const coreBanking = new DcmsWorker(scope, 'CoreBankingEvents', {
    ...shared,
    service: 'core-banking-events',
    lane: 'realtime',
    queue: queues.coreBanking,
    load: DCMS_LOAD.coreBanking,
    stateTableActions: CORE_BANKING_STATE_ACTIONS,
  });
  // The bulk lane (a bank's existing book, loaded by `ops import`): the same code and rights on its own queue,
  // drawing from the bulk lane of each tenant's budget so that real-time events keep theirs.
  const coreBankingBulk = new DcmsWorker(scope, 'CoreBankingBulk', {
    ...shared,
    service: 'core-banking-bulk',
    functionDir: 'core-banking-events',
    lane: 'bulk',
    queue: queues.coreBankingBulk,
    load: DCMS_LOAD.coreBankingBulk,
    stateTableActions: CORE_BANKING_STATE_ACTIONS,
  });
  const courier = new DcmsWorker(scope, 'CourierEvents', {
    ...shared,
    service: 'courier-events',
    lane: 'realtime',
    queue: queues.courier,
    load: DCMS_LOAD.courier,
    stateTableActions: ['dynamodb:UpdateItem', 'dynamodb:PutItem'], // KitLedger.claimNewest, releaseKit, appendHistory
  });
  return { coreBanking: coreBanking.worker, coreBankingBulk: coreBankingBulk.worker, courier: courier.worker };
}

/** The worker calling Card91. */
function createCard91Worker(scope: Construct, { settings, functions, queues, configuration }: QueueWorkersInput, common: WorkerCommon): QueueWorker {
  return new Card91Worker(scope, 'CardControls', {
    service: 'card-controls',
    functions,
    queue: queues.cardControls,
    common,
    card91: { ...settings.card91, sdkAuthSecrets: configuration.secrets.card91SdkAuth },
  }).worker;
}
