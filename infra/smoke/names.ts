/** The pipeline's smoke-test build runs as this role (pipeline account); the stage's role trusts exactly it. */
export const SMOKE_TEST_RUNNER_ROLE_NAME = 'card-issuance-smoke-test-runner';

/** The role the smoke test takes in a stage's account. */
export const smokeTestRoleName = (prefix: string): string => `${prefix}-smoke-test`;
