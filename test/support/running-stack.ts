import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { freePort } from '../../local/free-port.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface StackPorts {
  dynamodb: number;
  sqs: number;
  dcms: number;
  card91: number;
  webhook: number;
}

export interface RunningStack {
  child: ChildProcess;
  /** The environment it runs with, for the ops CLI to find it by. */
  env: NodeJS.ProcessEnv;
  ports: StackPorts;
}

/**
 * `npm start` (without --once) on ports of its own, fed `feed`, once it has drained the feed and
 * keeps running. Its stack file is in `workDir`: a developer's running stack is never disturbed.
 */
export async function startRunningStack(options: { workDir: string; feed: string }): Promise<RunningStack> {
  const ports: StackPorts = { dynamodb: await freePort(), sqs: await freePort(), dcms: await freePort(), card91: await freePort(), webhook: await freePort() };
  const env = {
    ...process.env,
    DYNAMODB_PORT: String(ports.dynamodb),
    SQS_PORT: String(ports.sqs),
    DCMS_PORT: String(ports.dcms),
    CARD91_PORT: String(ports.card91),
    WEBHOOK_PORT: String(ports.webhook),
    STACK_FILE: join(options.workDir, 'stack.json'),
    DCMS_BASE_URL: '',
    CARD91_BASE_URL: '',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--feed', options.feed], { cwd: ROOT, env });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await vi.waitFor(
      () => {
        if (!output.includes('The stack keeps running') && child.exitCode === null) throw new Error(`waiting for the stack to drain its feed:\n${output}`);
      },
      { timeout: 90_000, interval: 250 },
    );
  } catch (error) {
    // The caller never gets the process to stop: it must not outlive the suite.
    child.kill('SIGTERM');
    throw error;
  }
  if (child.exitCode !== null) throw new Error(`npm start ended early (exit code ${child.exitCode}):\n${output}`);
  return { child, env, ports };
}
