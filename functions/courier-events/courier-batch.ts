import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import pMap from 'p-map';
import type { TenantDirectory } from '../../shared/config/tenants.js';
import { COURIER_KIT_STATUS, courierKitStatusEvent } from '../../shared/contracts/courier-kit-status.js';
import { parseAcceptedEvent } from '../../shared/contracts/parse.js';
import { reportOutcome } from '../../shared/observability/telemetry.js';
import type { Span } from '../../shared/observability/trace-sinks.js';
import { businessKeys } from '../../shared/persistence/idempotency.js';
import type { KitHistoryOutcome, KitScan } from '../../shared/persistence/kit-ledger.js';
import {
  decide as decideKit,
  initialState as initialKitState,
  type Action as KitAction,
  type Finish as KitFinish,
  type KitStatusConfig,
  type Observation as KitObservation,
  type SendResult,
  type Step as KitStep,
} from '../../shared/protocol/kit-status/machine.js';
import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';
import { settleFailedRecord } from '../../shared/worker/record-batch.js';
import type { DcmsWorkerRuntime } from '../../shared/worker/dcms-runtime.js';
import { applyGroup } from './apply-group.js';
import type { DeliveryClaims } from './delivery-claims.js';
import { groupByTenantAndStatus, kitKeyOf, withUtcInstant, type CourierItem } from './plan-batch.js';

const transient = (code: string, message: string) => new IntegrationError({ category: FailureCategory.Transient, code, message });
const IN_PROGRESS = transient('IN_PROGRESS', 'the same courier event is being processed by another delivery');
/** Back after the other delivery's send is answered (the usual backoff), or exactly when a lost send's settle window ends. */
const kitBusy = (untilMs?: number) =>
  new IntegrationError({
    category: FailureCategory.Transient,
    code: 'KIT_BUSY',
    message: 'another send for this kit is in flight or may still commit; this one follows it',
    ...(untilMs !== undefined && { dueInSeconds: Math.max(1, Math.ceil((untilMs - Date.now()) / 1_000)) }),
  });
const SUPERSEDED_NOT_APPLIED = transient('NEWER_STATUS_NOT_APPLIED', 'a newer status of this kit in the same batch was not applied; this one is retried on its own');

/** The one event type this worker takes. */
const ACCEPTED = { [COURIER_KIT_STATUS]: courierKitStatusEvent };

/** Kits of one batch handled at once: each is a different kit, so their bookkeeping is independent. */
const ITEM_CONCURRENCY = 16;

type KitOutcome = 'succeeded' | 'duplicate' | 'stale';

const keyOf = ({ event }: CourierItem) => businessKeys.delivery(event.tenant, event.data.kitNo, event.data.status, event.data.occurredAt);
const scanOf = ({ event }: CourierItem): KitScan => ({ tenant: event.tenant, kitNo: event.data.kitNo, status: event.data.status, occurredAt: event.data.occurredAt });

/**
 * One invocation of the courier worker, step by step: parse, claim, apply, settle what a newer
 * scan superseded. Every record ends in exactly one place: applied, duplicate, stale,
 * dead-lettered, or back to SQS (a batch item failure); a step that throws (DynamoDB unavailable)
 * fails its own records, never the batch.
 */
/** One scan on its way through the kit-status protocol. */
export interface KitRun {
  item: CourierItem;
  step: KitStep;
  /** Why its send failed, once it did. */
  sendFailure?: IntegrationError;
}

export class CourierBatch {
  readonly failures: SQSBatchResponse['batchItemFailures'] = [];
  /** Records that did not succeed in this invocation (dead-lettered or handed back to SQS). */
  private readonly notApplied = new Set<string>();
  private readonly eventIds = new Map<string, string>();
  /** Each record's span, in the trace its message brought from the webhook (shared/observability/tracer.ts). */
  private readonly spans = new Map<string, Span | undefined>();

  constructor(
    private readonly runtime: DcmsWorkerRuntime,
    private readonly claims: DeliveryClaims,
    /**
     * No DCMS call starts after `deadline`; a kit's send lock lasts until `lockUntil` (the invocation's
     * end); a send whose answer was lost keeps its kit quiet for `settleWindowMs`.
     */
    private readonly time: { deadline: number; lockUntil: number; settleWindowMs: number },
  ) {
    this.protocol = { settleWindowMs: time.settleWindowMs };
  }

  private readonly protocol: KitStatusConfig;

  /** 1. Parse: invalid events are dead-lettered at once and never disturb their neighbours. */
  async parse(records: readonly SQSRecord[], tenants: TenantDirectory): Promise<CourierItem[]> {
    const items: CourierItem[] = [];
    await pMap(
      records,
      async (record) => {
        const span = this.runtime.telemetry.tracer.startRecord(record, `process ${COURIER_KIT_STATUS}`);
        this.spans.set(record.messageId, span);
        try {
          const event = withUtcInstant(parseAcceptedEvent(record.body, ACCEPTED, tenants.names));
          this.eventIds.set(record.messageId, event.id);
          // Courier free text (remarks, location) never reaches a log: ids and codes only.
          this.runtime.telemetry.logger.debug('courier event received', { eventId: event.id, kitNo: event.data.kitNo, status: event.data.status });
          items.push({ record, event });
        } catch (error) {
          // Dead-lettered in its own trace: the DLQ message carries it on.
          await this.runtime.telemetry.tracer.withinRecords([span], () => this.fail(record, error));
        }
      },
      { concurrency: ITEM_CONCURRENCY },
    );
    return items;
  }

  /**
   * 2. Claim: each scan runs the kit-status protocol (shared/protocol/kit-status/machine.ts) up to
   *    its send: its idempotency record, then the kit's newest-scan mark and send lock. Duplicates,
   *    stale scans and busy kits are settled here.
   */
  async claim(latest: readonly CourierItem[]): Promise<KitRun[]> {
    const ready: KitRun[] = [];
    await this.each(latest, async (item) => {
      const run: KitRun = { item, step: decideKit(this.protocol, initialKitState(), { kind: 'begin' }) };
      await this.advance(run);
      if (run.step.action.kind === 'send') ready.push(run);
    });
    return ready;
  }

  /** 3. One DCMS call per (tenant, status); each scan's protocol then goes on with its own kit's result. */
  async apply(ready: readonly KitRun[]): Promise<void> {
    const groups = [...groupByTenantAndStatus(ready.map((run) => run.item)).values()];
    // One DCMS call serves every kit of its group: it is recorded in each of their traces.
    const results = (
      await Promise.all(groups.map((g) => this.runtime.telemetry.tracer.withinRecords(g.items.map(this.spanOf), () => applyGroup(this.runtime.dcms, g.tenant, g.items, this.time.deadline))))
    ).flat();
    const resultOf = new Map(results.map((result) => [result.item, result]));
    await this.each(
      ready.map((run) => run.item),
      async (item) => {
        const run = ready.find((r) => r.item === item)!;
        const result = resultOf.get(item)!;
        if (!result.ok) run.sendFailure = result.failure;
        const sent: SendResult = result.ok ? { ok: true } : { ok: false, unknown: result.failure.category === FailureCategory.UnknownOutcome };
        run.step = decideKit(this.protocol, run.step.state, { kind: 'sent', result: sent, now: Date.now() });
        await this.advance(run);
      },
    );
  }

  /** Performs the scan's actions until it must send (the batch sends together) or it is finished. */
  private async advance(run: KitRun): Promise<void> {
    const { item } = run;
    while (run.step.action.kind !== 'send' && run.step.action.kind !== 'finish') {
      run.step = decideKit(this.protocol, run.step.state, await this.perform(run.step.action, item));
    }
    if (run.step.action.kind === 'finish') await this.finish(run, run.step.action.how);
  }

  private async perform(action: Exclude<KitAction, { kind: 'send' | 'finish' }>, item: CourierItem): Promise<KitObservation> {
    switch (action.kind) {
      case 'claimEvent':
        return { kind: 'eventClaimed', claim: await this.claims.claim(keyOf(item), this.time.lockUntil - Date.now()) };
      case 'claimKit':
        try {
          return { kind: 'kitClaimed', claim: await this.runtime.ledger.claimNewest(scanOf(item), { owner: item.record.messageId, until: this.time.lockUntil }) };
        } catch (error) {
          // The scan is failed on its own; its claim must not outlive it.
          await this.claims.release(keyOf(item)).catch(() => undefined);
          throw error;
        }
      case 'releaseKit':
        await this.runtime.ledger.releaseKit(
          scanOf(item),
          item.record.messageId,
          action.applied ? { applied: true } : { applied: false, ...(action.quietUntil !== undefined && { quietUntil: action.quietUntil }) },
        );
        return { kind: 'kitReleased' };
      case 'completeEvent':
        await this.claims.complete(keyOf(item), action.outcome);
        return { kind: 'eventSettled' };
      case 'releaseEvent':
        await this.claims.release(keyOf(item));
        return { kind: 'eventSettled' };
    }
  }

  private async finish(run: KitRun, how: KitFinish): Promise<void> {
    const { item } = run;
    switch (how.kind) {
      case 'applied':
        return this.done(item, 'succeeded', 'APPLIED');
      case 'duplicate':
        return this.done(item, 'duplicate', 'DUPLICATE');
      case 'stale':
        return this.done(item, 'stale', 'STALE');
      case 'inProgress':
        return this.fail(item.record, IN_PROGRESS, item);
      case 'busy':
        return this.fail(item.record, kitBusy(how.until), item);
      case 'sendFailed':
        return this.fail(item.record, run.sendFailure!, item);
    }
  }

  /**
   * 4. An older event of a kit is stale only once the newer one is settled; if that one was not
   *    applied, the older one goes back to SQS and is processed on its own, never dropped.
   */
  async settleSuperseded(superseded: readonly CourierItem[], latest: readonly CourierItem[]): Promise<void> {
    const newest = new Map(latest.map((item) => [kitKeyOf(item), item]));
    await this.each(superseded, (item) =>
      this.notApplied.has(newest.get(kitKeyOf(item))!.record.messageId) ? this.fail(item.record, SUPERSEDED_NOT_APPLIED, item) : this.done(item, 'stale', 'STALE'),
    );
  }

  /** Runs one step per item; an item whose step throws is failed on its own, not lost. */
  private async each(items: readonly CourierItem[], step: (item: CourierItem) => Promise<unknown>): Promise<void> {
    await pMap(items, (item) => this.runtime.telemetry.tracer.withinRecords([this.spanOf(item)], () => step(item).catch((error: unknown) => this.fail(item.record, error, item))), {
      concurrency: ITEM_CONCURRENCY,
    });
  }

  private readonly spanOf = (item: CourierItem): Span | undefined => this.spans.get(item.record.messageId);

  private async done(item: CourierItem, outcome: KitOutcome, history: KitHistoryOutcome): Promise<void> {
    const { tenant, id, data } = item.event;
    await this.runtime.ledger.appendHistory(tenant, data.kitNo, { occurredAt: data.occurredAt, status: data.status, outcome: history, eventId: id });
    reportOutcome(this.runtime.telemetry.metrics, this.runtime.observer, { messageId: item.record.messageId, eventId: id, eventType: COURIER_KIT_STATUS, outcome });
    // An applied scan was logged at INFO by the webhook that accepted it and is counted in EventsProcessed:
    // its settlement is DEBUG. A stale or duplicate one says something about the courier: INFO.
    const log = outcome === 'succeeded' ? this.runtime.telemetry.logger.debug : this.runtime.telemetry.logger.info;
    log.call(this.runtime.telemetry.logger, 'courier event settled', { eventId: id, tenant, kitNo: data.kitNo, status: data.status, outcome });
    this.runtime.telemetry.tracer.endRecord(this.spanOf(item), { EventId: id, Outcome: outcome });
  }

  /** Through the one settlement policy; a record that cannot be settled goes back to SQS, never dropped. */
  private async fail(record: SQSRecord, error: unknown, item?: CourierItem): Promise<void> {
    this.notApplied.add(record.messageId);
    const identity = { eventId: this.eventIds.get(record.messageId), eventType: COURIER_KIT_STATUS };
    const logger = this.runtime.telemetry.logger.createChild({ persistentKeys: { ...(item && { kitNo: item.event.data.kitNo }) } });
    const settlement = await settleFailedRecord(this.runtime, record, error, identity, logger);
    if (settlement?.kind === 'deadLettered') this.runtime.telemetry.metrics.addMetric('KitsDeadLettered', MetricUnit.Count, 1);
    else this.failures.push({ itemIdentifier: record.messageId });
    this.runtime.telemetry.tracer.endRecord(this.spans.get(record.messageId), { ...(identity.eventId !== undefined && { EventId: identity.eventId }), Outcome: settlement?.kind ?? 'unsettled' }, true);
  }
}
