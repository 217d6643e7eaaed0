import { MetricUnit } from '@aws-lambda-powertools/metrics';
import pMap from 'p-map';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { COURIER_KIT_STATUS, parseEvent } from '../../shared/contracts/index.js';
import { toDeliveryStatusRequest } from '../../shared/dcms/mapping.js';
import { reportOutcome, type EventOutcome } from '../../shared/observability/telemetry.js';
import { instrument } from '../../shared/observability/instrument.js';
import { businessKeys } from '../../shared/persistence/idempotency.js';
import type { KitHistoryOutcome } from '../../shared/persistence/kit-ledger.js';
import { classifyRecordError } from '../../shared/worker/record-errors.js';
import type { WorkerRuntime } from '../../shared/worker/runtime.js';
import { applyGroup } from './apply-group.js';
import { DeliveryClaims } from './delivery-claims.js';
import { groupByTenantAndStatus, kitKeyOf, planBatch, withUtcInstant, type CourierItem } from './plan-batch.js';
import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';

const IN_PROGRESS = new IntegrationError({ category: FailureCategory.Transient, code: 'IN_PROGRESS', message: 'the same courier event is being processed by another delivery' });
const SUPERSEDED_NOT_APPLIED = new IntegrationError({
  category: FailureCategory.Transient,
  code: 'NEWER_STATUS_NOT_APPLIED',
  message: 'a newer status of this kit in the same batch was not applied; this one is retried on its own',
});

/** Kits of one batch handled at once: each is a different kit, so their bookkeeping is independent. */
const ITEM_CONCURRENCY = 16;

const keyOf = ({ event }: CourierItem) => businessKeys.delivery(event.tenant, event.data.kitNo, event.data.status, event.data.occurredAt);

/**
 * The courier worker: a standard queue, unordered, high volume. One SQS batch becomes one
 * `deliveryStatus` call per (tenant, status); each kit's result is settled on its own message.
 */
export function createCourierHandler(runtime: WorkerRuntime) {
  const { logger, metrics } = runtime.telemetry;
  const claims = new DeliveryClaims(runtime.idempotency);

  const handle = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    metrics.addMetric('RecordsReceived', MetricUnit.Count, event.Records.length);
    const tenants = await runtime.tenants();
    const deadline = runtime.deadline(context);
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    const eventIds = new Map<string, string>();
    /** Records that did not succeed in this invocation (dead-lettered or handed back to SQS). */
    const notApplied = new Set<string>();

    /** Hands a failed record to the one settlement policy; a record that cannot be settled is retried, never dropped. */
    const fail = async (record: SQSRecord, error: unknown, kitNo?: string) => {
      notApplied.add(record.messageId);
      try {
        const settlement = await runtime.settler.settle(record, classifyRecordError(error));
        const { category, code, message } = settlement.failure;
        const outcome = settlement.kind === 'deadLettered' ? 'deadLettered' : 'retried';
        reportOutcome(metrics, runtime.observer, { messageId: record.messageId, eventId: eventIds.get(record.messageId), eventType: COURIER_KIT_STATUS, outcome, category, code, reason: message });
        if (settlement.kind === 'deadLettered') metrics.addMetric('KitsDeadLettered', MetricUnit.Count, 1);
        logger.warn('courier event not applied', { messageId: record.messageId, kitNo, outcome: settlement.kind, category, code, reason: message });
        if (settlement.kind === 'retryLater') failures.push({ itemIdentifier: record.messageId });
      } catch (settleError) {
        logger.error('could not settle a failed record; leaving it to SQS', { messageId: record.messageId, error: settleError as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    };
    const done = async (item: CourierItem, outcome: EventOutcome & KitOutcome, history: KitHistoryOutcome) => {
      const { tenant, id, data } = item.event;
      await runtime.ledger.appendHistory(tenant, data.kitNo, { occurredAt: data.occurredAt, status: data.status, outcome: history, eventId: id });
      reportOutcome(metrics, runtime.observer, { messageId: item.record.messageId, eventId: id, eventType: COURIER_KIT_STATUS, outcome });
      logger.info('courier event settled', { eventId: id, tenant, kitNo: data.kitNo, status: data.status, outcome });
    };

    // 1. Parse: invalid events are dead-lettered at once and never disturb their neighbours.
    const items: CourierItem[] = [];
    await pMap(event.Records, async (record) => {
      try {
        const parsed = parseEvent(record.body, [COURIER_KIT_STATUS], tenants.names);
        eventIds.set(record.messageId, parsed.id);
        logger.debug('courier event received', { eventId: parsed.id, data: parsed.data });
        items.push({ record, event: withUtcInstant(parsed) });
      } catch (error) {
        await fail(record, error);
      }
    }, { concurrency: ITEM_CONCURRENCY });

    // 2. Within the batch, only the newest event per kit is sent; the older ones wait for its outcome (step 5).
    const { latest, superseded } = planBatch(items);
    const eachItem = (list: CourierItem[], step: (item: CourierItem) => Promise<unknown>) =>
      pMap(list, (item) => settleSafely(item, () => step(item), fail), { concurrency: ITEM_CONCURRENCY });

    // 3. Claim each event's idempotency record, then drop what DCMS already has newer.
    const claimed: CourierItem[] = [];
    await eachItem(latest, async (item) => {
      const claim = await claims.claim(keyOf(item), context.getRemainingTimeInMillis());
      if (claim === 'completed') return done(item, 'duplicate', 'DUPLICATE');
      if (claim === 'inProgress') return fail(item.record, IN_PROGRESS, item.event.data.kitNo);
      claimed.push(item);
    });
    const { fresh, stale } = await splitStale(claimed);
    await eachItem(stale, async (item) => {
      await claims.complete(keyOf(item), 'stale');
      await done(item, 'stale', 'STALE');
    });

    // 4. One call per (tenant, status); settle each kit on its own result.
    const groups = [...groupByTenantAndStatus(fresh).values()];
    const results = (await Promise.all(groups.map((g) => applyGroup(runtime.dcms, g.tenant, g.items, deadline)))).flat();
    await pMap(results, (result) =>
      settleSafely(result.item, async () => {
        const { item } = result;
        if (result.ok) {
          const { tenant, data } = item.event;
          const advanced = await runtime.ledger.applyStatus(tenant, data.kitNo, data.status, data.occurredAt);
          if (!advanced) await restoreNewerStatus(tenant, data.kitNo);
          await claims.complete(keyOf(item), 'applied');
          return done(item, 'succeeded', 'APPLIED');
        }
        await claims.release(keyOf(item));
        return fail(item.record, result.failure, item.event.data.kitNo);
      }, fail), { concurrency: ITEM_CONCURRENCY });

    // 5. An older event of a kit is stale only once the newer one is settled; if that one was not
    //    applied, the older one goes back to SQS and is processed on its own, never dropped.
    const newest = new Map(latest.map((item) => [kitKeyOf(item), item]));
    await eachItem(superseded, (item) =>
      notApplied.has(newest.get(kitKeyOf(item))!.record.messageId) ? fail(item.record, SUPERSEDED_NOT_APPLIED, item.event.data.kitNo) : done(item, 'stale', 'STALE'),
    );
    return { batchItemFailures: failures };

    /**
     * Another instance recorded a newer status for this kit while our call was in flight, so DCMS may
     * have received ours last: send the newer one again (a status is absolute; sending it twice is harmless).
     */
    async function restoreNewerStatus(tenant: string, kitNo: string): Promise<void> {
      const newer = (await runtime.ledger.getStates(tenant, [kitNo])).get(kitNo)?.lastStatus;
      if (!newer) return;
      logger.warn('a newer status of the kit was applied concurrently; sending it again', { tenant, kitNo, status: newer });
      const [answer] = await runtime.dcms.updateDeliveryStatus(tenant, toDeliveryStatusRequest(newer, [kitNo]), { deadline });
      if (answer?.result !== true) throw new IntegrationError({ category: FailureCategory.Transient, code: 'NEWER_STATUS_NOT_RESTORED', message: 'DCMS did not take the newer status again' });
    }

    /** A status no newer than the last one applied to the kit is stale: recorded, not sent. */
    async function splitStale(candidates: CourierItem[]): Promise<{ fresh: CourierItem[]; stale: CourierItem[] }> {
      try {
        return await readStaleness(candidates);
      } catch (error) {
        // The ledger could not be read: release every claim and hand each record back on its own.
        await eachItem(candidates, async (item) => {
          await claims.release(keyOf(item));
          await fail(item.record, error, item.event.data.kitNo);
        });
        return { fresh: [], stale: [] };
      }
    }

    async function readStaleness(candidates: CourierItem[]): Promise<{ fresh: CourierItem[]; stale: CourierItem[] }> {
      const fresh: CourierItem[] = [];
      const stale: CourierItem[] = [];
      for (const [tenant, tenantItems] of Map.groupBy(candidates, (item) => item.event.tenant)) {
        const states = await runtime.ledger.getStates(tenant, tenantItems.map((i) => i.event.data.kitNo));
        for (const item of tenantItems) {
          const last = states.get(item.event.data.kitNo)?.lastOccurredAt;
          (last === undefined || Date.parse(last) < Date.parse(item.event.data.occurredAt) ? fresh : stale).push(item);
        }
      }
      return { fresh, stale };
    }
  };

  return instrument(handle, runtime.telemetry);
}

type KitOutcome = 'succeeded' | 'duplicate' | 'stale';

/** Runs one item's bookkeeping; if it throws (DynamoDB unavailable), the item is failed, not lost. */
async function settleSafely(item: CourierItem, step: () => Promise<unknown>, fail: (record: SQSRecord, error: unknown, kitNo?: string) => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    await fail(item.record, error, item.event.data.kitNo);
  }
}
