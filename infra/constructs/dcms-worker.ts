import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { TenantSettings } from '../../shared/config/tenants.js';
import type { Lane } from '../../shared/resilience/fleet-rate-limiter.js';
import type { dcmsWorkerEnv } from '../../shared/config/worker-env.js';
import { dcmsMaxConcurrency, type DcmsLoad } from '../config/dcms-concurrency.js';
import { PlatformWorker } from './platform-worker.js';
import type { QueueWorkerBasics, VariablesOf } from './queue-worker.js';

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

export interface DcmsWorkerProps extends QueueWorkerBasics {
  /** Which lane of each tenant's fleet-wide DCMS budget it draws from (shared/resilience/fleet-rate-limiter.ts). */
  lane: Lane;
  dcms: DcmsAccess;
  /** Its share of the tenants' DCMS limits and calls in flight: sizes the event source's maxConcurrency. */
  load: DcmsLoad;
  /** Exactly what the flow does in the integration-state table (kit ledger). */
  stateTableActions: string[];
}

/** A queue worker that calls DCMS (shared/worker/dcms-runtime.ts): its variables and the rights they imply. */
export class DcmsWorker extends PlatformWorker {
  constructor(scope: Construct, id: string, props: DcmsWorkerProps) {
    const { dcms, lane, load, stateTableActions, ...worker } = props;
    const environment = {
      STATE_TABLE: dcms.stateTable.tableName,
      DCMS_BASE_URL: dcms.baseUrl,
      DCMS_CREDENTIALS_SECRET: dcms.credentials.secretArn,
      DCMS_LANE: lane,
      // Only the bulk lane reads it: how far it may take the bucket down.
      ...(lane === 'bulk' && { DCMS_BULK_SHARE: String(dcms.bulkShare) }),
    } satisfies VariablesOf<typeof dcmsWorkerEnv>;
    super(scope, id, {
      ...worker,
      maxConcurrency: dcmsMaxConcurrency(dcms.tenants, load, dcms.typicalLatencyMs),
      environment,
      grant: (handler) => {
        handler.allow(stateTableActions, [dcms.stateTable.tableArn]);
        handler.readSecrets(dcms.credentials);
      },
    });
  }
}
