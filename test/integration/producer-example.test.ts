/**
 * docs/producers.md's JavaScript example, as a bank would run it: events built with the official
 * CloudEvents SDK (structured mode, `datacontenttype` with a charset, an extension attribute, a
 * `+91…` mobile), sent over SQS (fauxqs) by the example's own code, to the real workers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bankEvent, sendEvent } from '../../docs/examples/send-events.js';
import { createCardControlsHandler } from '../../functions/card-controls/app.js';
import { localCard91WorkerEnv } from '../../local/worker-env.js';
import type { OutcomeReport } from '../../shared/observability/telemetry.js';
import { createCard91WorkerRuntime } from '../../shared/worker/card91-runtime.js';
import { ASHA, ORG_ID } from '../support/card91-fixtures.js';
import { customerCreated } from '../support/events.js';
import { startQueueHarness, startWorkerHarness, TEST_TENANTS, type QueueHarness } from '../support/worker-harness.js';
import { startCard91Stack } from './card91-harness.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('the JavaScript producer example', () => {
  it('registers a customer and issues its card from SDK-built events', async () => {
    const harness = await startWorkerHarness('coreBanking');
    closers.push(() => harness.close());
    const { data } = customerCreated('SDK1001', { contacts: [{ mobile: '+919876543210' }] });
    // An extension attribute the contract does not know, as a tracing producer adds it.
    const customer = bankEvent('bank.customer.created.v1', 'ACME_BANK', 'urn:acme-bank:cbs', data).cloneWith({ traceparent: TRACEPARENT });
    const account = bankEvent('bank.account.opened.v1', 'ACME_BANK', 'urn:acme-bank:cbs', { entityId: 'SDK1001', accountNo: '8642135', cardType: 'PHYSICAL', deliveryAddress: 'PERMANENT' });
    for (const event of [customer, account]) await sendEvent(harness.aws.sqs, harness.queueUrl, event);
    await harness.drain();
    const { calls, duplicateCards } = harness.dcms.stats();
    expect(calls['/register']).toEqual({ '200': 1 });
    expect(calls['/registerCard']).toEqual({ '200': 1 });
    expect(duplicateCards).toBe(0);
    expect(await harness.deadLetters()).toHaveLength(0);
  });

  it('freezes a card from an SDK-built card control whose mobile is written +91…', async () => {
    const card91 = await startCard91Stack();
    const outcomes: OutcomeReport[] = [];
    const queue: QueueHarness = await startQueueHarness({
      queue: 'cardControls',
      serviceName: 'card-controls',
      handlers: (aws) => {
        const env = localCard91WorkerEnv({
          resources: aws.resources,
          serviceName: 'card-controls',
          card91BaseUrl: card91.sandbox.url,
          card91OrgId: ORG_ID,
          sdkAuthSecretsJson: JSON.stringify([card91.signing.secret]),
          tenantsJson: TEST_TENANTS,
          fast: true,
        });
        return [createCardControlsHandler(createCard91WorkerRuntime(env, { observer: (report) => outcomes.push(report) }))];
      },
    });
    closers.push(async () => {
      await queue.close();
      await card91.close();
    });
    const freeze = bankEvent('bank.card.control.requested.v1', 'ACME_BANK', 'urn:acme-bank:channels', { mobile: `+${ASHA.mobile}`, cardId: ASHA.activeCard, action: 'FREEZE' });
    await sendEvent(queue.aws.sqs, queue.queueUrl, freeze);
    await queue.drain();
    expect(outcomes.map((o) => [o.eventId, o.outcome])).toEqual([[freeze.id, 'succeeded']]);
    expect(card91.sandbox.card(ASHA.activeCard)?.state).toBe('LOCKED');
  });
});
