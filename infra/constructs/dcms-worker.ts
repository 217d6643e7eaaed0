import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { TenantSettings } from '../../shared/config/tenants.js';
import type { dcmsWorkerEnv } from '../../shared/config/worker-env.js';
import { dcmsMaxConcurrency, type DcmsLoad } from '../config/dcms-concurrency.js';
import type { FunctionSettings } from './integration-function.js';
import { QueueWorker, type VariablesOf, type WorkerCommon } from './queue-worker.js';
import type { WorkerQueue } from './worker-queue.js';

/** What every DCMS worker of a stage shares: where DCMS is, its tenants, their credentials, the kit ledger. */
export interface DcmsAccess {
  baseUrl: string;
  minLatencyMs: number;
  tenants: readonly TenantSettings[];
  credentials: ISecret;
  stateTable: ITable;
}

export interface DcmsWorkerProps {
  service: string;
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
    } satisfies VariablesOf<typeof dcmsWorkerEnv>;

    this.worker = new QueueWorker(this, 'Worker', {
      service: props.service,
      functions: props.functions,
      queue: props.queue,
      common: props.common,
      maxConcurrency: dcmsMaxConcurrency(dcms.tenants, props.load, dcms.minLatencyMs),
      environment,
    });
    this.worker.handler.allow(props.stateTableActions, [dcms.stateTable.tableArn]);
    this.worker.handler.readSecrets(dcms.credentials);
  }
}
