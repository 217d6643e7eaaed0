import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IStringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type * as z from 'zod';
import type { queueWorkerEnv } from '../../shared/config/worker-env.js';
import { IntegrationFunction, type FunctionSettings } from './integration-function.js';
import type { WorkerQueue } from './worker-queue.js';

/** Names of the variables in a worker schema: a variable renamed there breaks the type-check here. */
export type VariablesOf<Schema extends z.ZodType> = Partial<Record<keyof z.input<Schema>, string>>;

/** What every queue worker of a stage reads besides its queue: idempotency records and the tenants document. */
export interface WorkerCommon {
  idempotencyTable: ITable;
  tenantsParameter: IStringParameter;
}

/** Which worker it is and what it is fed: the same for every queue worker, whatever platform it calls. */
export interface QueueWorkerBasics {
  /** The Powertools service name and the function's name; also its folder under functions/ unless `functionDir` says otherwise. */
  service: string;
  /** Folder under functions/ holding handler.ts, when it is not `service` (the same code on a second queue). */
  functionDir?: string;
  functions: FunctionSettings;
  queue: WorkerQueue;
  common: WorkerCommon;
}

export interface QueueWorkerProps extends QueueWorkerBasics {
  /** Event-source ceiling on concurrent instances (for DCMS workers: dcmsMaxConcurrency). */
  maxConcurrency: number;
  /** The flow's own variables (platform, tables); the queue worker's are added here. */
  environment: Record<string, string>;
}

/** Powertools idempotency (DynamoDBPersistenceLayer): claim, read on conflict, complete, release. */
const IDEMPOTENCY_ACTIONS = ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * A Lambda worker fed by its queue (shared/worker/queue-runtime.ts): batch size, batching window and
 * timeouts from the queue's description, partial batch responses, its DLQ, idempotency, tenants.
 */
export class QueueWorker extends Construct {
  readonly handler: IntegrationFunction;
  readonly queue: WorkerQueue;

  constructor(scope: Construct, id: string, props: QueueWorkerProps) {
    super(scope, id);
    const { queue, common } = props;
    const { description } = queue;
    this.queue = queue;

    const variables = {
      QUEUE_URL: queue.queue.queueUrl,
      DLQ_URL: queue.deadLetterQueue.queueUrl,
      QUEUE_FIFO: String(description.fifo),
      MAX_RECEIVE_COUNT: String(description.maxReceiveCount),
      RETRY_BUDGET_SECONDS: String(description.retry.budgetSeconds),
      ...(description.retry.categoryBudgetSeconds?.DependencyNotReady !== undefined && { DEPENDENCY_RETRY_BUDGET_SECONDS: String(description.retry.categoryBudgetSeconds.DependencyNotReady) }),
      VISIBILITY_BASE_SECONDS: String(description.retry.backoffBaseSeconds),
      VISIBILITY_MAX_SECONDS: String(description.retry.backoffCapSeconds),
      CIRCUIT_TRIAL_CAP_SECONDS: String(description.retry.circuitTrialCapSeconds),
      IDEMPOTENCY_TABLE: common.idempotencyTable.tableName,
      TENANTS_PARAMETER: common.tenantsParameter.parameterName,
    } satisfies VariablesOf<typeof queueWorkerEnv>;
    this.handler = new IntegrationFunction(this, 'Handler', {
      service: props.service,
      ...(props.functionDir !== undefined && { functionDir: props.functionDir }),
      settings: props.functions,
      timeout: queue.functionTimeout,
      environment: { ...props.environment, ...variables },
      // Exactly what the event source may use: the capacity is the worker's whatever else runs in the account.
      reservedConcurrency: props.functions.reserveWorkerConcurrency ? props.maxConcurrency : undefined,
    });

    // The mapping's grant is the only right on the source queue: receive, delete, change visibility (settle.ts).
    this.handler.function.addEventSource(
      new SqsEventSource(queue.queue, {
        batchSize: description.batchSize,
        // Lambda allows no batching window on FIFO queues; the description leaves it at 0 for them.
        ...(description.batchingWindowSeconds > 0 && { maxBatchingWindow: Duration.seconds(description.batchingWindowSeconds) }),
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );
    // Permanent failures are sent to the DLQ at once, with their reason (shared/messaging/dead-letter.ts);
    // on a FIFO queue a record waiting on a later one of its group moves to its back (shared/messaging/requeue.ts).
    this.handler.allow(['sqs:SendMessage'], description.fifo ? [queue.deadLetterQueue.queueArn, queue.queue.queueArn] : [queue.deadLetterQueue.queueArn]);
    // SQS with a customer key: a send needs a data key, a receive needs to decrypt it (DynamoDB, Secrets Manager: decrypt).
    this.handler.allow(['kms:Decrypt', 'kms:GenerateDataKey'], [props.functions.key.keyArn]);
    this.handler.allow(IDEMPOTENCY_ACTIONS, [common.idempotencyTable.tableArn]);
    this.handler.allow(['ssm:GetParameter'], [common.tenantsParameter.parameterArn]);
  }
}
