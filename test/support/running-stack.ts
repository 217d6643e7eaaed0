import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { isolatedStackEnv, type StackPorts } from '../../local/isolated-stack-env.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

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
  const { env, ports } = await isolatedStackEnv(options.workDir);
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
