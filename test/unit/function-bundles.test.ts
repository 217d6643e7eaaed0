import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * What of the event contracts and environment schemas each function's bundle holds. A schema in
 * the bundle is a schema built at cold start, so a function carries only the contracts it accepts
 * and its own kind's environment schema (docs/PERFORMANCE.md, "Cold start"). An import through
 * `shared/contracts/index.js` or `shared/config/worker-env.js` would bring back all of them.
 */
const ROOT = join(import.meta.dirname, '../..');
const CONTRACTS = ['account-opened', 'card-control', 'courier-kit-status', 'customer-created'];
const ENVIRONMENTS = ['card91-worker-env', 'dcms-worker-env', 'worker-env'];

const EXPECTED: Record<string, { contracts: string[]; environments: string[] }> = {
  'card-controls': { contracts: ['card-control'], environments: ['card91-worker-env'] },
  'card91-auth-webhook': { contracts: [], environments: [] },
  'core-banking-events': { contracts: ['account-opened', 'customer-created'], environments: ['dcms-worker-env'] },
  'courier-events': { contracts: ['courier-kit-status'], environments: ['dcms-worker-env'] },
  'courier-webhook': { contracts: ['courier-kit-status'], environments: [] },
};

/** Our modules in the function's bundle (packages left out: only which of ours are reached matters). */
async function bundledModules(name: string): Promise<string[]> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'functions', name, 'handler.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.values(result.metafile.outputs).flatMap((output) => Object.keys(output.inputs));
}

const present = (modules: string[], folder: string, names: string[]) => names.filter((n) => modules.includes(`shared/${folder}/${n}.ts`));

describe('function bundles', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name} holds only its own contracts and environment schema`, async () => {
      const modules = await bundledModules(name);
      expect(present(modules, 'contracts', CONTRACTS)).toEqual(expected.contracts);
      expect(present(modules, 'contracts', ['registry', 'index'])).toEqual([]);
      expect(present(modules, 'config', ENVIRONMENTS)).toEqual(expected.environments);
    });
  }
});
