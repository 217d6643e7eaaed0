import { describe, expect, it } from 'vitest';
import { courierSettings, type CourierSettings } from '../../shared/courier/couriers.js';
import { readCourierPayload, toEvents } from '../../functions/courier-webhook/mapping/index.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../shared/courier/signature.js';
import { SMOKE_TEST_RUNNER_ROLE_NAME, smokeTestRoleName } from '../../infra/smoke/names.js';
import { coreBankingMessage, courierBody, courierRequest, customerEvent } from '../../infra/smoke/requests.js';
import { courierAccepted, grownDeadLetterQueues, waitForDrain, type QueueDepth } from '../../infra/smoke/verdict.js';
import { QUEUES, queueName } from '../../shared/config/resources.js';
import { CUSTOMER_CREATED } from '../../shared/contracts/index.js';
import { getAtt, logicalIdOf, permissionsOf, ref, synthStage } from './support.js';

const KEY = 'smoke-test-signing-key-0123456789abcdef';
const empty: QueueDepth = { visible: 0, inFlight: 0, delayed: 0 };

/** The smoke scan as the webhook reads it: the courier's body, mapped, with the kit it names. */
function mapped(settings: CourierSettings) {
  const read = readCourierPayload(courierBody('SMOKEKIT1'), settings, { maxEvents: 10, nowMs: Date.now(), earliestMs: Date.parse('2020-01-01T00:00:00Z'), maxFutureMs: 600_000 });
  if (read.kind !== 'scans') throw new Error(`not read: ${JSON.stringify(read)}`);
  return toEvents(
    read.scans.map((scan) => ({ ...scan, kitNo: scan.reference! })),
    settings,
  );
}

describe('smoke test requests', () => {
  const settings = courierSettings.parse({ courier: 'smoke-test', tenant: 'ACME_BANK', format: 'generic', secretId: 'unused' });

  it('the body is one in-transit scan of the smoke kit, as the webhook maps it', () => {
    expect(mapped(settings).map((e) => [e.tenant, e.data.kitNo, e.data.status, new Date(e.data.occurredAt).toISOString()])).toEqual([
      ['ACME_BANK', 'SMOKEKIT1', 'IN_TRANSIT', '2024-01-01T04:30:00.000Z'],
    ]);
  });

  it('the same scan every run: the workers take a repeat for a duplicate, not a new status', () => {
    expect(mapped(settings)[0]!.id).toBe(mapped(settings)[0]!.id);
  });

  it('the courier request is signed over its exact bytes, as the webhook verifies it', () => {
    const request = courierRequest({ webhooksUrl: 'https://webhooks.example.in/', courier: 'bluedart', kitNo: 'SMOKEKIT1', signingKey: KEY, nowSeconds: 1_800_000_000 });
    expect(request.url).toBe('https://webhooks.example.in/couriers/bluedart/events');
    expect(request.headers['content-type']).toBe('application/json');
    const verdict = verifySignature(
      { timestamp: request.headers[TIMESTAMP_HEADER], signature: request.headers[SIGNATURE_HEADER], body: request.body },
      { secrets: [KEY], nowSeconds: 1_800_000_010, toleranceSeconds: 300 },
    );
    expect(verdict).toEqual({ ok: true, timestamp: 1_800_000_000 });
    expect(
      verifySignature(
        { timestamp: request.headers[TIMESTAMP_HEADER], signature: request.headers[SIGNATURE_HEADER], body: request.body },
        { secrets: ['another-key-0123456789abcdef012345'], nowSeconds: 1_800_000_010, toleranceSeconds: 300 },
      ).ok,
    ).toBe(false);
  });

  it('the core-banking event is a valid customer.created of the fixed test customer, grouped and deduplicated as producers send it', () => {
    const event = customerEvent({ tenant: 'ACME_BANK', entityId: 'SMOKE-TEST-0001' }, 'run-1', new Date('2026-11-02T10:00:00Z'));
    expect(event).toMatchObject({ type: CUSTOMER_CREATED, id: 'smoke-run-1', tenant: 'ACME_BANK', data: { entityId: 'SMOKE-TEST-0001' } });
    const message = coreBankingMessage(event);
    expect(message).toMatchObject({ queue: 'coreBanking', groupId: 'ACME_BANK:SMOKE-TEST-0001', deduplicationId: 'smoke-run-1', eventType: CUSTOMER_CREATED });
    // The same person every run: a repeat registration is reconciled, never a second customer.
    const again = customerEvent({ tenant: 'ACME_BANK', entityId: 'SMOKE-TEST-0001' }, 'run-2', new Date('2026-11-03T10:00:00Z'));
    expect(again.data).toEqual(event.data);
  });

  it('accepted means 202 (queued) or 200 (a replay of a queued request)', () => {
    expect([200, 202, 400, 401, 429, 500, 503].filter(courierAccepted)).toEqual([200, 202]);
  });
});

describe('smoke test verdict', () => {
  /** A fake clock the waits advance, and queue readings in turn. */
  function harness(readings: Record<string, QueueDepth>[]) {
    let now = 0;
    let reads = 0;
    return {
      read: async () => readings[Math.min(reads++, readings.length - 1)]!,
      now: () => now,
      sleep: async (ms: number) => void (now += ms),
      reads: () => reads,
    };
  }
  const options = { settleMs: 60_000, timeoutMs: 300_000, pollMs: 15_000, quietReadings: 2 };

  it('an empty reading right after the send is no proof: it waits out the settle time, then for consecutive empty readings', async () => {
    const h = harness([{ q: empty }]);
    const result = await waitForDrain({ ...h, ...options });
    expect(result).toEqual({ drained: true, afterMs: 75_000 });
  });

  it('a message in flight resets the count of empty readings', async () => {
    const busy = { q: { visible: 0, inFlight: 1, delayed: 0 } };
    const h = harness([{ q: empty }, busy, busy, busy, busy, busy, { q: empty }]);
    expect(await waitForDrain({ ...h, ...options })).toEqual({ drained: true, afterMs: 105_000 });
  });

  it('gives up at the timeout with the last reading', async () => {
    const stuck = { q: { visible: 1, inFlight: 0, delayed: 0 } };
    const result = await waitForDrain({ ...harness([stuck]), ...options });
    expect(result).toEqual({ drained: false, afterMs: 300_000, last: stuck });
  });

  it('fails on any DLQ that grew, whatever it held before', () => {
    const before = { a: empty, b: { visible: 3, inFlight: 0, delayed: 0 }, c: empty };
    expect(grownDeadLetterQueues(before, { a: empty, b: { visible: 3, inFlight: 0, delayed: 0 }, c: empty })).toEqual([]);
    expect(grownDeadLetterQueues(before, { a: { visible: 0, inFlight: 1, delayed: 0 }, b: { visible: 4, inFlight: 0, delayed: 0 }, c: empty })).toEqual(['a', 'b']);
  });
});

describe('the dev stage’s smoke-test role', () => {
  const { template, settings } = synthStage('dev');
  const prefix = settings.resourcePrefix;
  const roleName = smokeTestRoleName(prefix);
  const roleId = logicalIdOf(template, 'AWS::IAM::Role', 'RoleName', roleName);

  it('trusts the pipeline’s smoke-test build, and nothing else', () => {
    const pipelineAccount = '300000000003';
    expect(template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${pipelineAccount}:root` },
        Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${pipelineAccount}:role/${SMOKE_TEST_RUNNER_ROLE_NAME}` } },
      },
    ]);
  });

  it('may sign with the smoke courier’s key, send to the core-banking queue and read queue depths', () => {
    const permissions: Record<string, unknown[]> = {};
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      if (JSON.stringify(policy.Properties.Roles) !== JSON.stringify([ref(roleId)])) continue;
      for (const statement of policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]) {
        for (const action of [statement.Action].flat()) permissions[action] = [...(permissions[action] ?? []), ...[statement.Resource].flat()];
      }
    }
    const queue = (key: keyof typeof QUEUES, dlq = false) => getAtt(logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', queueName(prefix, QUEUES[key], dlq)));
    const key = getAtt(Object.keys(template.findResources('AWS::KMS::Key'))[0]!);
    const sorted = (map: Record<string, unknown[]>) => Object.fromEntries(Object.entries(map).map(([action, resources]) => [action, resources.map((r) => JSON.stringify(r)).sort()]));
    expect(sorted(permissions)).toEqual(
      sorted({
        'secretsmanager:GetSecretValue': [ref(logicalIdOf(template, 'AWS::SecretsManager::Secret', 'Name', `${prefix}/couriers/${settings.smokeTest!.courier}`))],
        'sqs:SendMessage': [queue('coreBanking')],
        'sqs:GetQueueAttributes': (Object.keys(QUEUES) as (keyof typeof QUEUES)[]).flatMap((k) => [queue(k), queue(k, true)]),
        'kms:Decrypt': [key],
        'kms:GenerateDataKey': [key],
      }),
    );
    // The functions' roles are untouched by it.
    expect(permissionsOf(template, `${prefix}-core-banking-events`).get('sts:AssumeRole')).toBeUndefined();
  });

  it('exists only where a smoke test is configured', () => {
    const prod = synthStage('prod');
    expect(prod.settings.smokeTest).toBeUndefined();
    expect(Object.values(prod.template.findResources('AWS::IAM::Role')).map((r) => r.Properties.RoleName)).not.toContain(smokeTestRoleName(prod.settings.resourcePrefix));
  });
});
