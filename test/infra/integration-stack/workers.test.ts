import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { dcmsMaxConcurrency } from '../../../infra/config/dcms-concurrency.js';
import { IntegrationFunction } from '../../../infra/constructs/integration-function.js';
import { DEFAULT_RETRY_POLICY, QUEUES, safetyNetReceiveCount } from '../../../shared/config/resources.js';
import { getAtt, ref, synthStage } from '../support.js';
import { DCMS_WORKERS, dev, fnId, fnName, prefix, queueId, secretId, settings, tableId, template } from './stack-setup.js';

const prod = synthStage('prod');

describe('DCMS worker event sources', () => {
  it.each(DCMS_WORKERS)('$service: batch settings from the description, partial batch responses, maxConcurrency from the DCMS limits', ({ service, queue, load }) => {
    const description = QUEUES[queue];
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAtt(queueId(queue)),
      FunctionName: ref(fnId(service)),
      BatchSize: description.batchSize,
      MaximumBatchingWindowInSeconds: description.fifo ? Match.absent() : description.batchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: dcmsMaxConcurrency(settings.tenants, load, settings.dcms.typicalLatencyMs) },
    });
  });

  it("sizes every queue's maxReceiveCount as a safety net far beyond a day of waiting out an outage", () => {
    // 3 × (6 ladder steps + 86,400 s / 300 s between circuit trials): an unhealthy DCMS never reaches it.
    expect(safetyNetReceiveCount(DEFAULT_RETRY_POLICY)).toBe(882);
    for (const description of Object.values(QUEUES)) expect(description.maxReceiveCount).toBe(882);
  });

  it('the FIFO workers have no batching window (Lambda refuses one)', () => {
    for (const queue of ['coreBanking', 'coreBankingBulk'] as const) {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: getAtt(queueId(queue)), MaximumBatchingWindowInSeconds: Match.absent() });
    }
  });

  it('maxConcurrency fills the largest tenant’s budget at typical latency: 6 real-time and 8 bulk core-banking instances, 2 courier', () => {
    const ceiling = (service: string) => {
      const mapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).find((m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify(ref(fnId(service))));
      return mapping!.Properties.ScalingConfig.MaximumConcurrency as number;
    };
    // 100 req/s × 0.75 × 0.25 s ≈ 19 calls in flight, 3.5 per instance (5 groups × 0.7 of their time in DCMS) → 6;
    // the bulk lane fills the whole rate while real time is quiet: 25 / 3.5 → 8; courier 100 × 0.25 × 0.25 / 4 → 2.
    expect([ceiling('core-banking-events'), ceiling('core-banking-bulk'), ceiling('courier-events')]).toEqual([6, 8, 2]);
    // Together they hold the budget's worth of calls in flight at 250 ms: real time and bulk can each fill their part.
    expect(settings.dcms.typicalLatencyMs).toBe(250);
  });
});

describe('card-controls worker', () => {
  it('card-controls: batch settings from the description, the configured Card91 ceiling', () => {
    const description = QUEUES.cardControls;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAtt(queueId('cardControls')),
      FunctionName: ref(fnId('card-controls')),
      BatchSize: description.batchSize,
      // FIFO (ordered per card): Lambda takes no batching window on a FIFO source.
      MaximumBatchingWindowInSeconds: Match.absent(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: settings.card91.maxConcurrency },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: fnName('card-controls'),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: description.functionTimeoutSeconds,
      Environment: {
        Variables: Match.objectLike({
          QUEUE_URL: ref(queueId('cardControls')),
          DLQ_URL: ref(queueId('cardControls', true)),
          QUEUE_FIFO: 'true',
          IDEMPOTENCY_TABLE: ref(tableId('idempotency')),
          CARD91_BASE_URL: settings.card91.baseUrl,
          CARD91_ORG_ID: settings.card91.orgId,
          CARD91_SDK_AUTH_SECRETS_ID: ref(secretId('card91-sdk-auth-signing')),
        }),
      },
    });
  });
});

describe('DCMS worker functions', () => {
  it('the bulk lane runs the core-banking code, bundled from the same entry', () => {
    const entry = (service: string) => dev.stack.node.findAll().find((c): c is IntegrationFunction => c instanceof IntegrationFunction && c.service === service)!.entry;
    expect(entry('core-banking-bulk')).toMatch(/\/functions\/core-banking-events\/handler\.ts$/);
    expect(entry('core-banking-bulk')).toBe(entry('core-banking-events'));
  });

  it.each(DCMS_WORKERS)('$service: Node.js 24 on arm64, timeout and environment from the description, names not values', ({ service, queue, lane }) => {
    const description = QUEUES[queue];
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: fnName(service),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: description.functionTimeoutSeconds,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: service,
          POWERTOOLS_METRICS_NAMESPACE: 'CardIssuance',
          POWERTOOLS_LOG_LEVEL: settings.logLevel,
          POWERTOOLS_LOGGER_SAMPLE_RATE: String(settings.loggerSampleRate),
          NODE_OPTIONS: '--enable-source-maps',
          QUEUE_URL: ref(queueId(queue)),
          DLQ_URL: ref(queueId(queue, true)),
          QUEUE_FIFO: String(description.fifo),
          MAX_RECEIVE_COUNT: String(description.maxReceiveCount),
          RETRY_BUDGET_SECONDS: '86400',
          VISIBILITY_BASE_SECONDS: '30',
          VISIBILITY_MAX_SECONDS: '900',
          CIRCUIT_TRIAL_CAP_SECONDS: '300',
          IDEMPOTENCY_TABLE: ref(tableId('idempotency')),
          STATE_TABLE: ref(tableId('integrationState')),
          TENANTS_PARAMETER: Match.anyValue(),
          DCMS_BASE_URL: settings.dcms.baseUrl,
          DCMS_CREDENTIALS_SECRET: ref(secretId('dcms-credentials')),
          DCMS_LANE: lane,
          // The bulk lane's part of each tenant's budget, from the stage settings; the real-time lane has no cap.
          ...(lane === 'bulk' && { DCMS_BULK_SHARE: String(settings.dcms.bulkShare) }),
        },
      },
    });
  });

  it('the tenants document in SSM is the configured one', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: `/${prefix}/tenants`, Type: 'String', Value: JSON.stringify(settings.tenants) });
  });
});

describe('workers in each stage', () => {
  it('prod reserves each worker exactly its event source’s maxConcurrency; dev reserves nothing', () => {
    const reserved = (stage: typeof dev) =>
      Object.fromEntries(
        Object.values(stage.template.findResources('AWS::Lambda::Function')).map((fn) => [
          String(fn.Properties.FunctionName).replace(`${stage.settings.resourcePrefix}-`, ''),
          fn.Properties.ReservedConcurrentExecutions,
        ]),
      );
    const ceilings = (stage: typeof dev) =>
      Object.fromEntries(
        Object.values(stage.template.findResources('AWS::Lambda::EventSourceMapping')).map((mapping) => {
          const functionId = (mapping.Properties.FunctionName as { Ref: string }).Ref;
          const name = String(stage.template.toJSON().Resources[functionId].Properties.FunctionName).replace(`${stage.settings.resourcePrefix}-`, '');
          return [name, mapping.Properties.ScalingConfig.MaximumConcurrency];
        }),
      );
    expect(reserved(prod)).toEqual({ ...ceilings(prod), 'card91-auth-webhook': undefined, 'courier-webhook': undefined });
    expect(Object.keys(ceilings(prod)).sort()).toEqual(['card-controls', 'core-banking-bulk', 'core-banking-events', 'courier-events']);
    expect(Object.values(reserved(dev)).every((value) => value === undefined)).toBe(true);
  });

  it('each stage deploys into its own account and region; prod’s web ACL into us-east-1 of prod’s account', () => {
    expect([dev.stack.account, dev.stack.region]).toEqual([dev.settings.account, dev.settings.region]);
    expect([prod.stack.account, prod.stack.region]).toEqual([prod.settings.account, prod.settings.region]);
    expect([prod.edge!.stack.account, prod.edge!.stack.region]).toEqual([prod.settings.account, 'us-east-1']);
    expect(dev.edge).toBeUndefined();
  });
});
