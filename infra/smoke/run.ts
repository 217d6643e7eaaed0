import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { courierSecrets } from '../../shared/courier/secrets.js';
import { appSettings, CONTEXT_KEY, type SmokeTestSettings, type StageSettings } from '../config/app-config.js';
import { coreBankingMessage, courierRequest, customerEvent } from './requests.js';
import { StageQueues } from './stage-queues.js';
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

/** What one run needs: the stage, its smoke-test settings, the webhook URL and the clients. */
interface SmokeRun {
  settings: StageSettings;
  smoke: SmokeTestSettings;
  webhooksUrl: string;
  sqs: SQSClient;
  queues: StageQueues;
}

async function main(): Promise<boolean> {
  const { values } = parseArgs({ options: { stage: { type: 'string', default: 'dev' }, 'timeout-minutes': { type: 'string', default: '10' } } });
  const settings = stageSettings(values.stage);
  const smoke = settings.smokeTest;
  if (!smoke) throw new Error(`stage ${values.stage} has no smokeTest settings`);
  const webhooksUrl = process.env.WEBHOOKS_URL;
  if (!webhooksUrl) throw new Error('WEBHOOKS_URL is not set (the stack output WebhooksUrl)');
  const { account, region, resourcePrefix: prefix } = settings;
  const sqs = new SQSClient({ region });
  const run: SmokeRun = { settings, smoke, webhooksUrl, sqs, queues: new StageQueues(sqs, { account, region, prefix }) };

  const deadLettersBefore = await run.queues.depths(StageQueues.ALL, true);
  say(`DLQs before: ${JSON.stringify(deadLettersBefore)}`);
  if (!(await sendCourierRequest(run))) return false;
  await sendCoreBankingEvent(run);
  if (!(await workersDone(run, Number(values['timeout-minutes']) * 60_000))) return false;
  return noneDeadLettered(run, deadLettersBefore);
}

/** One courier request, signed with the courier's key from Secrets Manager, through the deployed webhook URL: accepted or not. */
async function sendCourierRequest({ settings, smoke, webhooksUrl }: SmokeRun): Promise<boolean> {
  const courier = settings.couriers.find((c) => c.courier === smoke.courier)!;
  const secrets = new SecretsManagerClient({ region: settings.region });
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: `${settings.resourcePrefix}/couriers/${courier.courier}` }));
  const signingKey = courierSecrets.parse(JSON.parse(secret.SecretString ?? '{}')).current;
  const request = courierRequest({ webhooksUrl, courier: courier.courier, kitNo: smoke.kitNo, signingKey, nowSeconds: Math.floor(Date.now() / 1_000) });
  const started = performance.now();
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  const answer = await response.text();
  say(`courier request: HTTP ${response.status} in ${Math.round(performance.now() - started)} ms: ${answer}`);
  return courierAccepted(response.status);
}

/** One customer.created for the test customer, sent to the core-banking queue as the bank's producer does. */
async function sendCoreBankingEvent({ smoke, sqs, queues }: SmokeRun): Promise<void> {
  const runId = randomUUID();
  const message = coreBankingMessage(customerEvent(smoke, runId, new Date()));
  const sent = await sqs.send(
    new SendMessageCommand({ QueueUrl: queues.url('coreBanking'), MessageBody: message.body, MessageGroupId: message.groupId, MessageDeduplicationId: message.deduplicationId }),
  );
  say(`core-banking event smoke-${runId}: message ${sent.MessageId}`);
}

/** Waits until the courier and core-banking queues are empty: the workers took both through DCMS. */
async function workersDone({ queues }: SmokeRun, timeoutMs: number): Promise<boolean> {
  const drain = await waitForDrain({
    read: () => queues.depths(['courier', 'coreBanking'], false),
    now: Date.now,
    sleep: (ms) => sleep(ms),
    settleMs: 90_000,
    timeoutMs,
    pollMs: 15_000,
    quietReadings: 2,
  });
  if (!drain.drained) {
    say(`the workers did not finish within ${Math.round(drain.afterMs / 1_000)} s: ${JSON.stringify(drain.last)}`);
    return false;
  }
  say(`queues drained after ${Math.round(drain.afterMs / 1_000)} s`);
  return true;
}

/** No DLQ grew during the run. */
async function noneDeadLettered({ settings, queues }: SmokeRun, deadLettersBefore: Record<string, QueueDepth>): Promise<boolean> {
  const deadLettersAfter = await queues.depths(StageQueues.ALL, true);
  const grown = grownDeadLetterQueues(deadLettersBefore, deadLettersAfter);
  say(`DLQs after: ${JSON.stringify(deadLettersAfter)}`);
  if (grown.length > 0) {
    say(`dead-lettered during the smoke test: ${grown.join(', ')}; read why with npm run ops -- --region ${settings.region} --prefix ${settings.resourcePrefix} dlq list`);
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
