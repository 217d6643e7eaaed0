import type { IssuedKit } from '../../demo/dataset.js';
import type { LocalStack } from '../boot/boot.js';
import type { LocalCouriers } from '../boot/local-couriers.js';
import { COURIER_EVENTS_PATH } from '../boot/webhook-routes.js';

/** What to try while the stack keeps running: the operator CLI, the webhooks, the sandboxes. */
export function nextSteps(stack: LocalStack, options: { stackFile: string; couriers: LocalCouriers; exampleKit?: IssuedKit }): string {
  const { couriers, exampleKit: kit } = options;
  const courier = couriers.couriers.find((c) => c.format === 'generic');
  const tokenCouriers = Object.keys(couriers.tokens);
  const webhooks = stack.host.webhooks.url;
  const admin = (partner: { sandbox?: unknown }) => (partner.sandbox ? ' (GET /__admin/stats, POST /__admin/faults)' : '');
  return [
    '',
    'The stack keeps running: functions polling, webhooks and sandboxes up. Ctrl-C stops everything.',
    'In another terminal:',
    '  npm run ops -- dlq list                                what was dead-lettered, by reason',
    '  npm run ops -- dlq show <message id>                   one record: reason, attempts, masked body',
    '  npm run ops -- dlq redrive --filter code=CUS001        replay the accounts that came before their customer',
    `  npm run ops -- kit ${kit ? `${kit.kitNo} --tenant ${kit.tenant}` : '<kitNo> --tenant <TENANT>'}       a kit's ledger: entity, status, history`,
    '  npm run ops -- send events.jsonl                       feed more events',
    '  npm run ops -- card91 customer --mobile 919876543210   a Card91 cardholder (masked), through our auth webhook',
    ...(courier
      ? [
          `Courier webhook: POST ${webhooks}${COURIER_EVENTS_PATH} (couriers: ${couriers.couriers.map((c) => c.courier).join(', ')}); sign a body with`,
          `  COURIER_SIGNING_SECRET=${couriers.signingKey} npm run ops -- sign --courier ${courier.courier} --file body.json --url ${webhooks}`,
          ...(tokenCouriers.length > 0 ? [`  ${tokenCouriers.join(', ')} take their own push formats with a static token (local-only-<courier>-token-0123456789): README, Courier webhook`] : []),
        ]
      : []),
    `DCMS: ${stack.dcms.url}${stack.dcms.sandbox ? ' (GET /__admin/stats, GET /__admin/kits, POST /__admin/faults)' : ''}`,
    `Card91: ${stack.card91.url}${admin(stack.card91)}`,
    `Stack description for the ops CLI: ${options.stackFile}`,
  ].join('\n');
}
