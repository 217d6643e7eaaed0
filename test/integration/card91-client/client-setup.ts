/**
 * Card91Client over real HTTP against the Card91 sandbox, with our auth-URL webhook handler served
 * as API Gateway would invoke it: one stack per test file, reset before each test.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { CardLimitInput } from '../../../shared/card91/index.js';
import { AED_LIMIT_LINE } from '../../support/card91-fixtures.js';
import { startCard91Stack, type Card91Stack } from '../card91-harness.js';

/** The file's stack, once `useCard91Stack()` has started it. */
export let stack: Card91Stack;

/** Starts the file's stack before its tests and closes it after; before each test, empties the sandbox and what was recorded, and restores the webhook's secret. */
export function useCard91Stack(): void {
  beforeAll(async () => {
    stack = await startCard91Stack();
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => {
    stack.sandbox.reset();
    stack.webhookSecrets = [stack.signing.secret];
    stack.calls.length = 0;
    stack.outcomes.length = 0;
  });
}

/** The sandbox's answers to one client method, counted by outcome. */
export const callsTo = (method: string) => stack.sandbox.stats().calls[method] ?? {};

/** A complete AED limits line, with the given fields changed. */
export const aedLimits = (overrides: Partial<CardLimitInput> = {}): CardLimitInput => ({ ...AED_LIMIT_LINE, ...overrides });
