import { describe, expect, it } from 'vitest';
import { checkModel, spinAvailable } from '../../local/model/check.js';
import { MODEL_CONFIGS } from '../../local/model/configs.js';

// CI installs spin (.ci/run); a laptop without it skips these, saying why.
const withSpin = spinAvailable();
if (!withSpin) console.warn('test/unit/model.test.ts skipped: spin is not on PATH (apt-get install spin)');

describe.skipIf(!withSpin)('the core-banking write protocol, checked exhaustively by spin', () => {
  for (const { name, config, safe } of MODEL_CONFIGS) {
    it(`${name}: ${safe ? 'at most one card in every run' : 'the checker finds a second card'}`, { timeout: 90_000 }, () => {
      const verdict = checkModel(config);
      expect(verdict.states).toBeGreaterThan(0);
      if (safe) {
        expect(verdict.trail, verdict.trail.join('\n')).toEqual([]);
        expect(verdict.errors).toBe(0);
      } else {
        expect(verdict.errors).toBeGreaterThan(0);
        expect(verdict.trail.filter((line) => line.includes('DCMS applies /registerCard'))).toHaveLength(2);
      }
    });
  }
});
