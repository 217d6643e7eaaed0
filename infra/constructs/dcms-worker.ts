import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { TenantSettings } from '../../shared/config/tenants.js';
import type { Lane } from '../../shared/resilience/fleet-rate-limiter.js';
import type { dcmsWorkerEnv } from '../../shared/config/worker-env.js';
import { dcmsMaxConcurrency, type DcmsLoad } from '../config/dcms-concurrency.js';
import type { FunctionSettings } from './integration-function.js';
import { QueueWorker, type VariablesOf, type WorkerCommon } from './queue-worker.js';
import type { WorkerQueue } from './worker-queue.js';

/** What every DCMS worker of a stage shares: where DCMS is, its tenants, their credentials, the kit ledger. */
export interface DcmsAccess {
  baseUrl: string;
  /** A DCMS answer's usual time: sizes each worker's maxConcurrency (dcms-concurrency.ts). */
  typicalLatencyMs: number;
  /** Share of each tenant's budget the bulk lane may take (DCMS_BULK_SHARE). */
  bulkShare: number;
  tenants: readonly TenantSettings[];
  credentials: ISecret;
  stateTable: ITable;
}

export interface DcmsWorkerProps {
  service: string;
  /** Folder under functions/ when it is not `service`: the bulk lane runs the core-banking code. */
  functionDir?: string;
  /** Which lane of each tenant's fleet-wide DCMS budget it draws from (shared/resilience/fleet-rate-limiter.ts). */
  lane: Lane;
  functions: FunctionSettings;
  queue: WorkerQueue;
  common: WorkerCommon;
  dcms: DcmsAccess;
  /** Its share of the tenants' DCMS limits and calls in flight: sizes the event source's maxConcurrency. */
  load: DcmsLoad;
  /** Exactly what the flow does in the integration-state table (kit ledger). */
  stateTableActions: string[];
}

/** A queue worker that calls DCMS (shared/worker/dcms-runtime.ts): its variables and the rights they imply. */
export class DcmsWorker extends Construct {
  readonly worker: QueueWorker;

  constructor(scope: Construct, id: string, props: DcmsWorkerProps) {
    super(scope, id);
    const { dcms } = props;
    const environment = {
      STATE_TABLE: dcms.stateTable.tableName,
      DCMS_BASE_URL: dcms.baseUrl,
      DCMS_CREDENTIALS_SECRET: dcms.credentials.secretArn,
      DCMS_LANE: props.lane,
      // Only the bulk lane reads it: how far it may take the bucket down.
      ...(props.lane === 'bulk' && { DCMS_BULK_SHARE: String(dcms.bulkShare) }),
    } satisfies VariablesOf<typeof dcmsWorkerEnv>;

    this.worker = new QueueWorker(this, 'Worker', {
      service: props.service,
      ...(props.functionDir !== undefined && { functionDir: props.functionDir }),
      functions: props.functions,
      queue: props.queue,
      common: props.common,
      maxConcurrency: dcmsMaxConcurrency(dcms.tenants, props.load, dcms.typicalLatencyMs),
      environment,
    });
    this.worker.handler.allow(props.stateTableActions, [dcms.stateTable.tableArn]);
    this.worker.handler.readSecrets(dcms.credentials);
  }
}
