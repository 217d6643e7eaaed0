import pMap from 'p-map';
import type { AwbKey, LearnResult } from '../../shared/persistence/awb-index.js';
import type { CourierSettings } from '../../shared/courier/couriers.js';
import type { KitScan, MappedScan } from './mapping/index.js';

/** The AWB index as the webhook uses it (shared/persistence/awb-index.ts). */
export interface AwbDirectory {
  lookup(key: AwbKey, awbs: readonly string[]): Promise<Map<string, string>>;
  learn(key: AwbKey, awb: string, kitNo: string): Promise<LearnResult>;
}

export type KitResolution =
  | { kind: 'resolved'; scans: KitScan[]; learnt: number; conflicts: number }
  /** Scans naming their kit only by a waybill no scan of this integration has paired with a kit yet. */
  | { kind: 'unknownAwbs'; awbs: string[] };

/** PutItems in flight at once while learning the pairs of one request. */
const LEARN_CONCURRENCY = 4;

/**
 * Finds each scan's kit. With `reference` lookup a scan's reference is its kit (already checked to
 * be a kit number). With `referenceOrAwb`: every pair (reference, AWB) a scan carries is learnt
 * into the AWB index unless the AWB is known already, and a scan without a reference takes the kit
 * its AWB is paired with. One BatchGetItem per hundred AWBs, one PutItem per AWB seen for the
 * first time. The first pair learnt for an AWB stays (`conflicts` counts scans that disagree: they
 * keep their own reference).
 */
export async function resolveKits(scans: readonly MappedScan[], settings: CourierSettings, index: AwbDirectory): Promise<KitResolution> {
  if (settings.kitLookup === 'reference') return { kind: 'resolved', scans: scans.map((scan) => ({ ...scan, kitNo: scan.reference! })), learnt: 0, conflicts: 0 };

  const key: AwbKey = { tenant: settings.tenant, courier: settings.courier };
  const awbs = [...new Set(scans.flatMap((scan) => (scan.awb === undefined ? [] : [scan.awb])))];
  const known = awbs.length > 0 ? await index.lookup(key, awbs) : new Map<string, string>();

  let conflicts = 0;
  const taught = new Map<string, string>();
  for (const { reference, awb } of scans) {
    if (reference === undefined || awb === undefined) continue;
    const paired = known.get(awb) ?? taught.get(awb);
    if (paired === undefined) taught.set(awb, reference);
    else if (paired !== reference) conflicts += 1;
  }
  let learnt = 0;
  await pMap(
    taught,
    async ([awb, kitNo]) => {
      const result = await index.learn(key, awb, kitNo);
      if (result.kind === 'learnt') learnt += 1;
      // Another request paired this AWB first: its kit is the one AWB-only scans go to.
      known.set(awb, result.kind === 'conflict' ? result.kitNo : kitNo);
      if (result.kind === 'conflict') conflicts += 1;
    },
    { concurrency: LEARN_CONCURRENCY },
  );

  const unknown = new Set<string>();
  const resolved: KitScan[] = [];
  for (const scan of scans) {
    const kitNo = scan.reference ?? known.get(scan.awb!);
    if (kitNo === undefined) unknown.add(scan.awb!);
    else resolved.push({ ...scan, kitNo });
  }
  return unknown.size > 0 ? { kind: 'unknownAwbs', awbs: [...unknown] } : { kind: 'resolved', scans: resolved, learnt, conflicts };
}
