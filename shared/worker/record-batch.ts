import { BatchProcessor, EventType, processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { TenantDirectory } from '../config/tenants.js';
import { receiveCountOf } from '../messaging/settle.js';
import { reportOutcome } from '../observability/telemetry.js';
import { classifyRecordError } from './record-errors.js';
import type { QueueWorkerRuntime } from './queue-runtime.js';

/** What is known of a record when it fails: nothing, if it did not even parse. */
export interface RecordIdentity {
  eventId?: string;
  eventType: string;
}

/**
 * A failed record through the one settlement policy: dead-lettered with its reason, or handed back
 * to SQS (thrown, so the batch processor reports it). A record that cannot be settled is not
 * acknowledged either: SQS redelivers it.
 */
export async function settleFailedRecord(runtime: QueueWorkerRuntime, record: SQSRecord, error: unknown, identity: RecordIdentity): Promise<void> {
  const { logger, metrics } = runtime.telemetry;
  const settlement = await runtime.settler.settle(record, classifyRecordError(error)).catch((settleError: unknown) => {
    logger.error('could not settle a failed record; leaving it to SQS', { error: settleError as Error });
    throw error;
  });
  const { category, code, message } = settlement.failure;
  const outcome = settlement.kind === 'deadLettered' ? 'deadLettered' : 'retried';
  reportOutcome(metrics, runtime.observer, { messageId: record.messageId, ...identity, outcome, category, code, reason: message });
  logger.warn('event not processed', { outcome: settlement.kind, category, code, reason: message, receiveCount: receiveCountOf(record) });
  if (settlement.kind === 'retryLater') throw settlement.failure;
}

export type RecordHandler = (record: SQSRecord, tenants: TenantDirectory, deadline: number) => Promise<void>;

/**
 * The invocation around a record handler: idempotency bound to the Lambda's remaining time,
 * tenants from configuration, the deadline, and Powertools partial batch processing, one record
 * after the other. On a FIFO queue a failed record holds back the rest of its group
 * (skipGroupOnError), so one customer's events stay in order while other groups go on.
 */
export function recordBatchHandler(runtime: QueueWorkerRuntime, processRecord: RecordHandler, { fifo }: { fifo: boolean }) {
  const fifoProcessor = new SqsFifoPartialProcessorAsync();
  const standardProcessor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    runtime.idempotency.config.registerLambdaContext(context);
    runtime.telemetry.metrics.addMetric('RecordsReceived', MetricUnit.Count, event.Records.length);
    const tenants = await runtime.tenants();
    const deadline = runtime.deadline(context);
    const handle = (record: SQSRecord) => processRecord(record, tenants, deadline);
    return fifo
      ? processPartialResponse(event, handle, fifoProcessor, { context, skipGroupOnError: true, throwOnFullBatchFailure: false })
      : processPartialResponse(event, handle, standardProcessor, { context, processInParallel: false, throwOnFullBatchFailure: false });
  };
}
