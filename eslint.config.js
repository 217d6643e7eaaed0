import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers (docs/architecture.md, "Layers"). `functions/` and `shared/` are the bottom: what runs
 * in a Lambda. The rooms above build on it and on nothing else, except the edges named here:
 * the local stack runs the sandboxes, and the benchmarks run the local stack, the sandboxes and
 * the CDK bundling settings. `shared/tooling/` is the bottom layer for the rooms above only (what
 * two of them share), so no Lambda code may import it. Nothing but tests imports `test/`.
 */
const UPPER_ROOMS = ['infra', 'local', 'ops', 'sandbox', 'bench'];
const ALLOWED_UPPER_EDGES = {
  // infra bundles the functions by entry path and must not load their code into the CDK app.
  infra: { functions: false, rooms: [] },
  ops: { functions: true, rooms: [] },
  // The sandboxes stand in for DCMS and Card91: they know the wire, not our workers.
  sandbox: { functions: false, rooms: [] },
  local: { functions: true, rooms: ['sandbox'] },
  bench: { functions: true, rooms: ['local', 'sandbox', 'infra'] },
};
const FUNCTIONS = readdirSync(join(import.meta.dirname, 'functions'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/**
 * Imports are relative, so a room is recognised by a path segment of the specifier
 * (`../../local/emulators.js`); no folder below the root shares a room's name.
 */
const segment = (names) => `(^|/)(${names.join('|')})/`;
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const forbid = (names, message) => ({ regex: segment(names), message });

const NOT_TEST = forbid(['test'], 'only tests import test/: move what is shared down to shared/ or shared/tooling/.');
const NOT_UPPER = forbid(UPPER_ROOMS, 'functions/ and shared/ are the bottom layer and import nothing above them.');
const NOT_TOOLING = forbid(['tooling'], 'shared/tooling/ serves the rooms above the Lambdas; Lambda code must not bundle it.');

const upperRoomBlocks = Object.entries(ALLOWED_UPPER_EDGES).map(([room, allowed]) => {
  const others = UPPER_ROOMS.filter((other) => other !== room && !allowed.rooms.includes(other));
  const allowedText = ['shared/', ...(allowed.functions ? ['functions/'] : []), ...allowed.rooms.map((r) => `${r}/`)].join(', ');
  const message = `${room}/ may import ${allowedText} only (eslint.config.js names the allowed edges).`;
  return {
    files: [`${room}/**`],
    rules: restrict([NOT_TEST, ...(others.length > 0 ? [forbid(others, message)] : []), ...(allowed.functions ? [] : [forbid(['functions'], message)])]),
  };
});

const functionBlocks = FUNCTIONS.map((name) => ({
  files: [`functions/${name}/**`],
  rules: restrict([
    NOT_TEST,
    NOT_UPPER,
    NOT_TOOLING,
    ...(FUNCTIONS.length > 1
      ? [
          forbid(
            FUNCTIONS.filter((other) => other !== name),
            'a function imports no other function: move what both need to shared/.',
          ),
        ]
      : []),
  ]),
}));

const boundaries = [
  ...upperRoomBlocks,
  { files: ['shared/**'], rules: restrict([NOT_TEST, NOT_UPPER, NOT_TOOLING, forbid(['functions'], 'shared/ never imports functions/.')]) },
  { files: ['shared/tooling/**'], rules: restrict([NOT_TEST, NOT_UPPER, forbid(['functions'], 'shared/ never imports functions/.')]) },
  ...functionBlocks,
];

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', '.state/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['local/**', 'ops/**', 'sandbox/cli.ts', 'bench/**', 'docs/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  ...boundaries,
);
