import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../sandbox/seeded-random.js';
import { issueKits } from '../support/dcms-fixtures.js';
import { kitStatus } from '../support/events.js';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness.js';

const STATUSES = ['IN_TRANSIT', 'IN_TRANSIT', 'DELIVERED', 'RETURNED', 'BANK'] as const;
const KITS = 10;
const SEEDS = [1, 2, 3, 4, 5, 6];

/** Several scans per kit at distinct instants, shuffled, with repeats: what couriers really push. */
function scanStream(kits: readonly string[], random: () => number) {
  const scans = kits.flatMap((kit) =>
    Array.from({ length: 3 + Math.floor(random() * 3) }, (_, i) => {
      const minute = i * 7 + Math.floor(random() * 5);
      return { kit, status: STATUSES[Math.floor(random() * STATUSES.length)]!, occurredAt: `2026-11-20T10:${String(minute).padStart(2, '0')}:00Z` };
    }),
  );
  const repeated = scans.filter(() => random() < 0.3);
  const all = [...scans, ...repeated];
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  const newest = new Map<string, { status: string; at: number }>();
  for (const scan of scans) {
    const at = Date.parse(scan.occurredAt);
    const known = newest.get(scan.kit);
    if (!known || at > known.at) newest.set(scan.kit, { status: scan.status, at });
  }
  return { all, newest };
}

describe('courier worker: a kit ends in its newest scan under any interleaving', () => {
  let harness: WorkerHarness;
  afterEach(async () => harness?.close());

  it.each(SEEDS)(
    'seed %i: three instances, small batches, jittery DCMS latency, repeats and redeliveries',
    async (seed) => {
      const random = seededRandom(seed);
      harness = await startWorkerHarness('courier', { instances: 3, batchSize: 4 });
      const kits = await issueKits(harness.dcms.url, KITS, `S${seed}-`);
      const { all, newest } = scanStream(kits, random);

      // DCMS latency changes every few calls' worth of time: sends for one kit overtake each other.
      let jittering = true;
      const jitter = (async () => {
        while (jittering) {
          harness.dcms.setFaults({ latencyMs: Math.floor(random() * 250), endpoints: ['/inventory/update/deliveryStatus'] });
          await new Promise((resolve) => setTimeout(resolve, 40));
        }
      })();
      const draining = harness.drain(60_000);
      for (let i = 0; i < all.length; i += 3) {
        await harness.send(all.slice(i, i + 3).map((scan) => kitStatus(scan.kit, scan.status, scan.occurredAt)));
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 60)));
      }
      await draining;
      jittering = false;
      await jitter;

      const wrong = kits.filter((kit) => harness.dcms.kit('ACME_BANK', kit)?.deliveryStatus !== newest.get(kit)!.status);
      expect(wrong.map((kit) => ({ kit, expected: newest.get(kit)!.status, actual: harness.dcms.kit('ACME_BANK', kit)?.deliveryStatus }))).toEqual([]);
      expect(await harness.deadLetters()).toHaveLength(0);
    },
    90_000,
  );
});
