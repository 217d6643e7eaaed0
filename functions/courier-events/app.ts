import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { instrument } from '../../shared/observability/instrument.js';
import { ALL_SAFEGUARDS } from '../../shared/protocol/safeguards.js';
import type { DcmsWorkerRuntime } from '../../shared/worker/dcms-runtime.js';
import { CourierBatch } from './courier-batch.js';
import { DeliveryClaims } from './delivery-claims.js';
import { planBatch } from './plan-batch.js';

/**
 * The courier worker: a standard queue, unordered, high volume. One SQS batch becomes one
 * `deliveryStatus` call per (tenant, status); each kit's result is settled on its own message, and
 * a kit's final status in DCMS is its newest scan whatever the interleaving of instances.
 */
export function createCourierHandler(runtime: DcmsWorkerRuntime) {
  const claims = new DeliveryClaims(runtime.idempotency);

  const handle = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    runtime.telemetry.metrics.addMetric('RecordsReceived', MetricUnit.Count, event.Records.length);
    const tenants = await runtime.tenants();
    const batch = new CourierBatch(runtime, claims, {
      deadline: runtime.deadline(context),
      lockUntil: Date.now() + context.getRemainingTimeInMillis(),
      settleWindowMs: (runtime.safeguards ?? ALL_SAFEGUARDS).settleWindow ? runtime.env.SETTLE_WINDOW_SECONDS * 1_000 : 0,
    });
    const items = await batch.parse(event.Records, tenants);
    // Within the batch only the newest event per kit is sent; the older ones follow its outcome.
    const { latest, superseded } = planBatch(items);
    await batch.apply(await batch.claim(latest));
    await batch.settleSuperseded(superseded, latest);
    return { batchItemFailures: batch.failures };
  };

  return instrument(handle, runtime.telemetry);
}
