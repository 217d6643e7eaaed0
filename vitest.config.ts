import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

type ProjectTest = NonNullable<TestProjectInlineConfiguration['test']>;

/** Settings every project shares; each project below names its folder and what it needs started. */
const shared = {
  environment: 'node',
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks',
  env: {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_DEV: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  },
} satisfies ProjectTest;

function project(name: string, extra: ProjectTest = {}): TestProjectInlineConfiguration {
  return { test: { ...shared, name, include: [`test/${name}/**/*.test.ts`], ...extra } };
}

export default defineConfig({
  test: {
    // The default output, then every file's time and the ten slowest (CI runs `npm test`).
    reporters: ['default', './test/support/timing-reporter.ts'],
    // Most files wait (on retry delays, settle windows, a child stack) far more than they compute:
    // twice as many files at once as a 2-core machine has cores keeps both cores busy.
    maxWorkers: 4,
    /*
     * v8 coverage of the code that runs in Lambda, measured by `npm test` (`--coverage`): the
     * thresholds sit a little under the figures measured over the unit, integration and simulator
     * projects (94.2% statements, 88.4% branches, 95.4% functions, 96.0% lines).
     */
    coverage: {
      provider: 'v8',
      include: ['functions/**/*.ts', 'shared/**/*.ts'],
      // shared/tooling/ serves the local stack and the operator CLI, never a Lambda.
      exclude: ['shared/tooling/**'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: { statements: 92, branches: 86, functions: 93, lines: 94 },
    },
    projects: [
      // No emulators: `npm run test:unit` (`--project unit`) needs neither Java nor fauxqs.
      project('unit'),
      // The integration suites share one DynamoDB Local and one fauxqs, started only for them.
      project('integration', { globalSetup: ['test/support/global-setup.ts'] }),
      // The proofs: the fleet simulator's seeds (the real workers in virtual time) and the spin model; no emulators.
      project('sim'),
      // CDK assertions and cdk-nag.
      project('infra'),
      // `npm start` and the ops CLI as child processes, each on its own emulators and ports.
      project('e2e'),
    ],
  },
});
