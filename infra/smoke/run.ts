import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { courierSecrets } from '../../functions/courier-webhook/secrets.js';
import { QUEUES, queueName, type QueueKey } from '../../shared/config/resources.js';
import { appSettings, CONTEXT_KEY, type StageSettings } from '../config/app-config.js';
import { coreBankingMessage, courierRequest, customerEvent } from './requests.js';
import { courierAccepted, grownDeadLetterQueues, waitForDrain, type QueueDepth } from './verdict.js';

/**
 * Post-deploy smoke test of a stage, run by the pipeline after dev is deployed (infra/README.md):
 *
 *   WEBHOOKS_URL=https://… npx tsx infra/smoke/run.ts --stage dev
 *
 * 1. Notes the depth of every DLQ.
 * 2. Sends one courier request, signed with the courier's key from Secrets Manager, through the
 *    deployed webhook URL (the edge where there is one), and requires it accepted.
 * 3. Sends one core-banking event to the core-banking queue, as the bank's producer does.
 * 4. Waits until the courier and core-banking queues are empty (the workers took both through
 *    DCMS), then requires that no DLQ grew.
 * Runs with the stage's smoke-test role (infra/constructs/smoke-test-access.ts); exit code 1 on failure.
 */

const say = (line: string): void => void process.stdout.write(`${line}\n`);

function stageSettings(stage: string): StageSettings {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
  const settings = appSettings.parse(cdkJson.context[CONTEXT_KEY]);
  if (stage !== 'dev' && stage !== 'prod') throw new Error(`unknown stage ${stage}`);
  return settings.stages[stage];
}

async function main(): Promise<boolean> {
  const { values } = parseArgs({ options: { stage: { type: 'string', default: 'dev' }, 'timeout-minutes': { type: 'string', default: '10' } } });
  const settings = stageSettings(values.stage);
  const smoke = settings.smokeTest;
  if (!smoke) throw new Error(`stage ${values.stage} has no smokeTest settings`);
  const webhooksUrl = process.env.WEBHOOKS_URL;
  if (!webhooksUrl) throw new Error('WEBHOOKS_URL is not set (the stack output WebhooksUrl)');
  const { account, region, resourcePrefix: prefix } = settings;
  const courier = settings.couriers.find((c) => c.courier === smoke.courier)!;

  const sqs = new SQSClient({ region });
  const secrets = new SecretsManagerClient({ region });
  const queueUrl = (key: QueueKey, dlq = false) => `https://sqs.${region}.amazonaws.com/${account}/${queueName(prefix, QUEUES[key], dlq)}`;
  const depth = async (url: string): Promise<QueueDepth> => {
    const { Attributes: a = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
    );
    return { visible: Number(a.ApproximateNumberOfMessages ?? 0), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0), delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0) };
  };
  const depths = async (keys: QueueKey[], dlq: boolean) => Object.fromEntries(await Promise.all(keys.map(async (key) => [queueName(prefix, QUEUES[key], dlq), await depth(queueUrl(key, dlq))] as const)));
  const allQueues = Object.keys(QUEUES) as QueueKey[];

  const deadLettersBefore = await depths(allQueues, true);
  say(`DLQs before: ${JSON.stringify(deadLettersBefore)}`);

  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: `${prefix}/couriers/${courier.courier}` }));
  const signingKey = courierSecrets.parse(JSON.parse(secret.SecretString ?? '{}')).current;
  const request = courierRequest({ webhooksUrl, courier: courier.courier, kitNo: smoke.kitNo, signingKey, nowSeconds: Math.floor(Date.now() / 1_000) });
  const started = performance.now();
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  const answer = await response.text();
  say(`courier request: HTTP ${response.status} in ${Math.round(performance.now() - started)} ms: ${answer}`);
  if (!courierAccepted(response.status)) return false;

  const runId = randomUUID();
  const message = coreBankingMessage(customerEvent(smoke, runId, new Date()));
  const sent = await sqs.send(
    new SendMessageCommand({ QueueUrl: queueUrl('coreBanking'), MessageBody: message.body, MessageGroupId: message.groupId, MessageDeduplicationId: message.deduplicationId }),
  );
  say(`core-banking event smoke-${runId}: message ${sent.MessageId}`);

  const drain = await waitForDrain({
    read: () => depths(['courier', 'coreBanking'], false),
    now: Date.now,
    sleep: (ms) => sleep(ms),
    settleMs: 90_000,
    timeoutMs: Number(values['timeout-minutes']) * 60_000,
    pollMs: 15_000,
    quietReadings: 2,
  });
  if (!drain.drained) {
    say(`the workers did not finish within ${Math.round(drain.afterMs / 1_000)} s: ${JSON.stringify(drain.last)}`);
    return false;
  }
  say(`queues drained after ${Math.round(drain.afterMs / 1_000)} s`);

  const deadLettersAfter = await depths(allQueues, true);
  const grown = grownDeadLetterQueues(deadLettersBefore, deadLettersAfter);
  say(`DLQs after: ${JSON.stringify(deadLettersAfter)}`);
  if (grown.length > 0) {
    say(`dead-lettered during the smoke test: ${grown.join(', ')}; read why with npm run ops -- --region ${region} --prefix ${prefix} dlq list`);
    return false;
  }
  say('smoke test passed');
  return true;
}

if (import.meta.main) {
  await main()
    .then((passed) => {
      if (!passed) process.exitCode = 1;
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
