import { describe, expect, it } from 'vitest';
import { quietWorkers } from '../../local/sim/quiet.js';
import { runSeed, type SafeguardName } from '../../local/sim/run-seed.js';

quietWorkers();

/** Seeds in one test: about 10 s of suite time each. */
const CHUNK = 500;
const CHUNKS = 4;

/** Runs seeds until the first violation; the seed and what it violated, or undefined. */
async function firstViolation(from: number, count: number, disable?: SafeguardName) {
  for (let seed = from; seed < from + count; seed++) {
    const result = await runSeed(seed, disable ? { disable: new Set([disable]) } : {});
    if (result.violations.length > 0) return { seed, violations: result.violations };
  }
  return undefined;
}

describe('the fleet, simulated: every invariant holds', () => {
  for (let chunk = 0; chunk < CHUNKS; chunk++) {
    const from = 1 + chunk * CHUNK;
    it(`seeds ${from}–${from + CHUNK - 1}`, async () => {
      expect(await firstViolation(from, CHUNK)).toBeUndefined();
    }, 180_000);
  }
});

describe('the simulator can fail: each safeguard switched off is caught', () => {
  // What each safeguard keeps, and the seeds searched (docs/RELIABILITY.md's detection table, with room to spare).
  it.each([
    ['settle-window', ["a kit's final status is its newest scan", 'one card per account and card type']],
    ['newest-scan', ["a kit's final status is its newest scan"]],
    ['card-order', ["a card's controls apply in the order sent"]],
    ['retry-history', ['no record calls DCMS more often than its retry schedule allows']],
    ['write-ahead-marker', ['one card per account and card type']],
    ['issue-ledger', ['one card per account and card type']],
  ] as const)(
    'without %s',
    async (safeguard, caught) => {
      const found = await firstViolation(1, 1_000, safeguard);
      expect(found, `no violation in 1,000 seeds without ${safeguard}`).toBeDefined();
      expect(caught).toContain(found!.violations[0]!.invariant);
    },
    180_000,
  );
});
