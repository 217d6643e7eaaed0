/**
 * `npm run bench -- <name> [args…]` runs bench/<name>.ts with its own arguments; without a name
 * (or when the first argument is not one) it runs the happy-path benchmark, as `npm run bench`
 * always has: `npm run bench`, `npm run bench -- 500 4`, `npm run bench -- cold-start`.
 */
import { existsSync } from 'node:fs';

const name = process.argv[2];
const named = name !== undefined && /^[a-z][a-z0-9-]*$/.test(name) && existsSync(new URL(`./${name}.ts`, import.meta.url));
if (named) process.argv.splice(2, 1);
await import(named ? `./${name}.ts` : './happy-path.ts');
