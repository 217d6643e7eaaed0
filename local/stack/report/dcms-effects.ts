import type { TenantHoldings } from '../../../sandbox/dcms/server.js';
import { ACCOUNT_OPENED, COURIER_KIT_STATUS, CUSTOMER_CREATED, customerCreatedEvent } from '../../../shared/contracts/index.js';
import type { RoutedMessage } from '../../../shared/tooling/routing.js';

/**
 * The run's effects on DCMS: what DCMS now holds because of us. A customer registered (`/register`),
 * a card issued (`/register`'s insta-card or `/registerCard`: one kit each), a delivery status
 * applied to a kit (`/inventory/update/deliveryStatus` accepted for that kit). Reads change nothing
 * and are no effect. Shaped as the DCMS sandbox counts a tenant's holdings.
 */
export type DcmsEffects = TenantHoldings;

/** Where the effects were counted: the DCMS sandbox's own state, or the workers' outcomes when the run used another DCMS. */
export type EffectsSource = 'sandbox' | 'workers';

export const NO_EFFECTS: DcmsEffects = { customers: 0, kits: 0, deliveryStatuses: 0 };

export const addEffects = (a: DcmsEffects, b: DcmsEffects): DcmsEffects => ({
  customers: a.customers + b.customers,
  kits: a.kits + b.kits,
  deliveryStatuses: a.deliveryStatuses + b.deliveryStatuses,
});

export const totalEffects = (effects: DcmsEffects): number => effects.customers + effects.kits + effects.deliveryStatuses;

/**
 * What the DCMS sandbox holds: of one tenant, or of all of them. Counted from the platform's side,
 * so a card issued by a write whose answer was lost counts, and an answer that claimed a write the
 * sandbox never applied does not. The sandbox starts empty with each run, so it holds the run's effects.
 */
export function sandboxEffects(holdings: Record<string, DcmsEffects>, tenant?: string): DcmsEffects {
  const held = tenant === undefined ? Object.values(holdings) : [holdings[tenant] ?? NO_EFFECTS];
  return held.reduce(addEffects, NO_EFFECTS);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The effects a fed event has once its worker reports it succeeded or reconciled: what the workers
 * claim, the figure to fall back on when no sandbox can be asked. A customer with an insta-card is
 * a customer and a kit; an account opened, a kit; a courier scan, one delivery status (it names one kit).
 */
export function effectsClaimedBy(message: Pick<RoutedMessage, 'eventType' | 'body'>): DcmsEffects {
  switch (message.eventType) {
    case CUSTOMER_CREATED: {
      const parsed = customerCreatedEvent.safeParse(parseJson(message.body));
      return { ...NO_EFFECTS, customers: 1, kits: parsed.success && parsed.data.data.card !== undefined ? 1 : 0 };
    }
    case ACCOUNT_OPENED:
      return { ...NO_EFFECTS, kits: 1 };
    case COURIER_KIT_STATUS:
      return { ...NO_EFFECTS, deliveryStatuses: 1 };
    default:
      return NO_EFFECTS;
  }
}
