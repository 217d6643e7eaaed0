import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from 'commander';
import * as z from 'zod';

/** The repository root: default paths are relative to it, not to the caller's working directory. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the running stack tells the operator CLI how to reach it (git-ignored). */
export const DEFAULT_STACK_FILE = `${REPO_ROOT}.local/stack.json`;
const DEFAULT_TENANTS_FILE = `${REPO_ROOT}local/tenants.json`;

/** Queue and table names of the local stack: `local-core-banking-events.fifo`, `local-integration-state`… */
export const LOCAL_PREFIX = 'local';

const port = z.coerce.number().int().min(1).max(65_535);

/**
 * Environment settings of `npm start` (flags are in start.ts). Every variable is optional; a value
 * that is set but wrong is an error naming the variable, never silently replaced by a default.
 */
const variables = z.object({
  DYNAMODB_PORT: port.default(8000),
  SQS_PORT: port.default(4566),
  DCMS_PORT: port.default(4010),
  CARD91_PORT: port.default(4020),
  WEBHOOK_PORT: port.default(3000),
  /** Another DCMS (a shared sandbox, UAT): the local DCMS sandbox is then not started. */
  DCMS_BASE_URL: z.url().optional(),
  /** Another Card91: the local Card91 sandbox is then not started. */
  CARD91_BASE_URL: z.url().optional(),
  /** Our org id at that Card91 (the sandbox's own by default). */
  CARD91_ORG_ID: z.string().min(1).optional(),
  TENANTS_FILE: z.string().min(1).default(DEFAULT_TENANTS_FILE),
  STACK_FILE: z.string().min(1).default(DEFAULT_STACK_FILE),
});
// The sandbox's org id means nothing to another Card91.
const environment = variables.refine((env) => !env.CARD91_BASE_URL || env.CARD91_ORG_ID, { path: ['CARD91_ORG_ID'], message: 'required with CARD91_BASE_URL' });
export type StackEnvironment = z.infer<typeof environment>;

export const ENVIRONMENT_HELP = `
Environment:
  DYNAMODB_PORT     DynamoDB Local port (default 8000)
  SQS_PORT          fauxqs (SQS) port (default 4566)
  DCMS_PORT         DCMS sandbox port (default 4010)
  CARD91_PORT       Card91 sandbox port (default 4020)
  WEBHOOK_PORT      webhook endpoints on 127.0.0.1 (default 3000)
  DCMS_BASE_URL     use this DCMS instead of starting the sandbox
  CARD91_BASE_URL   use this Card91 instead of starting the sandbox (with CARD91_ORG_ID)
  TENANTS_FILE      tenants document (default local/tenants.json)
  STACK_FILE        where the running stack describes itself for the ops CLI (default .local/stack.json)`;

/** Reads the stack's environment variables, or throws one error naming every bad one. */
export function readEnvironment(source: NodeJS.ProcessEnv = process.env): StackEnvironment {
  // Empty values count as unset, as shells make it easy to export `VAR=`.
  const present = Object.fromEntries(Object.entries(source).filter(([key, value]) => key in variables.shape && value));
  const parsed = environment.safeParse(present);
  if (!parsed.success) {
    throw new Error(`invalid environment: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** Commander argument parser for a positive whole number. */
export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return parsed;
}
