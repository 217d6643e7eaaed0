import { courierSettings, type CourierSettingsInput } from '../../../shared/courier/couriers.js';
import { toEvents, type KitScan, type ReadOptions, type ReadResult } from '../../../functions/courier-webhook/mapping/index.js';

/** The time the webhook reads at: scans are checked against it. */
const NOW = Date.parse('2026-04-20T00:00:00Z');
export const OPTIONS: ReadOptions = { maxEvents: 500, nowMs: NOW, earliestMs: Date.parse('2020-01-01T00:00:00Z'), maxFutureMs: 600_000 };

/** A courier integration's settings: Blue Dart for ACME_BANK unless `input` says otherwise. */
export const settings = (input: Partial<CourierSettingsInput> = {}) =>
  courierSettings.parse({ courier: 'bluedart', tenant: 'ACME_BANK', format: 'bluedart', secretId: 'x', kitLookup: 'referenceOrAwb', ...input });

/** The scans a payload was read into (the test fails on any other result). */
export const scans = (result: ReadResult) => {
  if (result.kind !== 'scans') throw new Error(`expected scans, got ${JSON.stringify(result)}`);
  return result.scans;
};
/** Events as the webhook builds them once each scan's kit is known (here: its reference). */
export const events = (result: ReadResult, input: Partial<CourierSettingsInput> = {}) =>
  toEvents(
    scans(result).map((scan): KitScan => ({ ...scan, kitNo: scan.reference! })),
    settings(input),
  );
