import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer rule of eslint.config.js, checked on in-memory files placed in each room: a wrong-way
 * import must fail `npm run lint`, a permitted one must not.
 */
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: fileURLToPath(new URL('../../', import.meta.url)) });
});

async function boundaryErrors(filePath: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { value } from '${specifier}';\nexport { value };\n`, { filePath });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('layer boundaries', () => {
  it.each([
    ['ops/example.ts', '../local/emulators.js', 'ops/ may import shared/, functions/ only'],
    ['local/example.ts', '../ops/cli.js', 'local/ may import shared/, functions/, sandbox/ only'],
    ['infra/example.ts', '../functions/courier-webhook/signature.js', 'infra/ may import shared/ only'],
    ['bench/example.ts', '../test/support/events.js', 'only tests import test/'],
    ['shared/config/example.ts', '../../functions/courier-webhook/app.js', 'shared/ never imports functions/'],
    ['functions/courier-events/example.ts', '../core-banking-events/app.js', 'a function imports no other function'],
    ['functions/courier-webhook/example.ts', '../../shared/tooling/routing.js', 'Lambda code must not bundle it'],
  ])('%s importing %s fails lint', async (filePath, specifier, expected) => {
    const errors = await boundaryErrors(filePath, specifier);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(expected);
  });

  it.each([
    ['local/example.ts', '../sandbox/dcms/server.js'],
    ['bench/example.ts', '../local/emulators.js'],
    ['ops/example.ts', '../shared/tooling/routing.js'],
    ['infra/example.ts', '../shared/courier/signature.js'],
    ['functions/courier-webhook/example.ts', '../../shared/courier/signature.js'],
    ['test/unit/example.ts', '../../local/emulators.js'],
  ])('%s importing %s passes', async (filePath, specifier) => {
    await expect(boundaryErrors(filePath, specifier)).resolves.toEqual([]);
  });
});
