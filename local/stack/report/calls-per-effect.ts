import type { CallCount } from './call-log.js';
import { sandboxEffects, totalEffects, type DcmsEffects, type EffectsSource } from './dcms-effects.js';

/**
 * DCMS calls per effect: every HTTP request the workers sent to DCMS over the effects the run left
 * there (dcms-effects.ts). The calls are counted as the client's onCall hook reports them, once per
 * request that left: each in-call retry and a re-authentication after a 401 are requests of their
 * own, reads (`/viewCustomer`, `/kit-manager/fetchKitsByEntityId`) and failed or throttled calls
 * count too. 1.00 is the floor: one write per effect, nothing read, nothing repeated.
 */
export interface DcmsCallsPerEffect {
  /** Every request the workers sent to DCMS. */
  totalCalls: number;
  effects: DcmsEffects;
  effectsCountedBy: EffectsSource;
  /** `totalCalls` ÷ the effects, two decimals; null when the run had no effect. */
  callsPerEffect: number | null;
  /**
   * The same for registrations alone (customers and cards: every call but delivery statuses), where
   * the read before a first card shows; a delivery-status call carries many kits, so the whole
   * run's figure can sit below 1.
   */
  registrations: { calls: number; effects: number; callsPerEffect: number | null };
}

/** Calls ÷ effects to two decimals; null (shown as n/a) when there was no effect to divide by. */
export function callsPerEffect(calls: number, effects: DcmsEffects): number | null {
  const total = totalEffects(effects);
  return total === 0 ? null : Math.round((calls / total) * 100) / 100;
}

export const formatCallsPerEffect = (ratio: number | null): string => (ratio === null ? 'n/a' : ratio.toFixed(2));

export const countCalls = (calls: readonly CallCount[]): number => calls.reduce((sum, row) => sum + row.calls, 0);

const DELIVERY_STATUS = 'deliveryStatus';

/**
 * The run's figure: effects counted in the DCMS sandbox when the run had one (its own state, not
 * what the workers claim), else (DCMS_BASE_URL) the effects the workers reported.
 */
export function runCallsPerEffect(calls: readonly CallCount[], holdings: Record<string, DcmsEffects> | undefined, claimed: DcmsEffects): DcmsCallsPerEffect {
  const totalCalls = countCalls(calls);
  const effects = holdings ? sandboxEffects(holdings) : claimed;
  const registrationCalls = countCalls(calls.filter((row) => row.endpoint !== DELIVERY_STATUS));
  const registrationEffects = { ...effects, deliveryStatuses: 0 };
  return {
    totalCalls,
    effects,
    effectsCountedBy: holdings ? 'sandbox' : 'workers',
    callsPerEffect: callsPerEffect(totalCalls, effects),
    registrations: { calls: registrationCalls, effects: totalEffects(registrationEffects), callsPerEffect: callsPerEffect(registrationCalls, registrationEffects) },
  };
}

const SOURCES: Record<EffectsSource, string> = {
  sandbox: 'effects counted in the DCMS sandbox',
  workers: 'effects as the workers reported them: no sandbox to count them in',
};

const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The summary's line: `DCMS calls per effect: 1.42 (1234 calls, 870 effects: 150 customers, 300 kits, 420 delivery statuses; …); registrations alone: 1.02 (…)`. */
export function describeCallsPerEffect(figure: DcmsCallsPerEffect): string {
  const { customers, kits, deliveryStatuses } = figure.effects;
  const breakdown = [counted(customers, 'customer', 'customers'), counted(kits, 'kit', 'kits'), counted(deliveryStatuses, 'delivery status', 'delivery statuses')].join(', ');
  const totals = `${counted(figure.totalCalls, 'call', 'calls')}, ${counted(totalEffects(figure.effects), 'effect', 'effects')}`;
  const { registrations } = figure;
  const ofRegistrations = `registrations alone: ${formatCallsPerEffect(registrations.callsPerEffect)} (${counted(registrations.calls, 'call', 'calls')} for ${counted(registrations.effects, 'customer or card', 'customers and cards')})`;
  return `DCMS calls per effect: ${formatCallsPerEffect(figure.callsPerEffect)} (${totals}: ${breakdown}; ${SOURCES[figure.effectsCountedBy]}); ${ofRegistrations}`;
}
