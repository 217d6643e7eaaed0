import { join } from 'node:path';
import { freePort } from './free-port.js';

/** The ports an isolated `npm start` listens on. */
export interface StackPorts {
  dynamodb: number;
  sqs: number;
  dcms: number;
  card91: number;
  webhook: number;
}

/**
 * The environment of an `npm start` run beside any other (the chaos runner, the e2e tests): free
 * ports, its own stack file (a developer's running stack is never disturbed), and no DCMS_BASE_URL
 * or CARD91_BASE_URL, so the local sandboxes are the platforms checked.
 */
export async function isolatedStackEnv(workDir: string): Promise<{ env: NodeJS.ProcessEnv; ports: StackPorts }> {
  const ports: StackPorts = { dynamodb: await freePort(), sqs: await freePort(), dcms: await freePort(), card91: await freePort(), webhook: await freePort() };
  const env = {
    ...process.env,
    DYNAMODB_PORT: String(ports.dynamodb),
    SQS_PORT: String(ports.sqs),
    DCMS_PORT: String(ports.dcms),
    CARD91_PORT: String(ports.card91),
    WEBHOOK_PORT: String(ports.webhook),
    STACK_FILE: join(workDir, 'stack.json'),
    DCMS_BASE_URL: '',
    CARD91_BASE_URL: '',
  };
  return { env, ports };
}
