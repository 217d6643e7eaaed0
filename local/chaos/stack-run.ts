import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedStackEnv } from '../isolated-stack-env.js';
import type { RunSummary } from '../stack/report/summary.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface StackRunOptions {
  /** `npm start` flags after `--`, without `--report` (the run writes its own). */
  args: readonly string[];
  /** Where the report, the output and the stack file go. */
  workDir: string;
  /** Kill the stack after this long (it has its own --timeout for the drain). */
  killAfterMs: number;
}

export interface StackRun {
  exitCode: number | null;
  /** Absent when the run died before writing it. */
  report?: RunSummary;
  wallMs: number;
  /** Everything the stack printed. */
  outputFile: string;
  output: string;
}

/**
 * One `npm start -- --once … --report …` as its own process, exactly as an operator would run it,
 * on free ports and with its own stack file (a developer's running stack is never disturbed), and
 * no DCMS_BASE_URL or CARD91_BASE_URL: the local sandboxes are the ones checked.
 */
export async function runStack(options: StackRunOptions): Promise<StackRun> {
  await mkdir(options.workDir, { recursive: true });
  const reportFile = join(options.workDir, 'report.json');
  const outputFile = join(options.workDir, 'output.log');
  const { env } = await isolatedStackEnv(options.workDir);
  const started = Date.now();
  const log = createWriteStream(outputFile);
  let output = '';
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', ...options.args, '--report', reportFile], { cwd: REPO_ROOT, env });
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    // SIGTERM lets the stack stop DynamoDB Local's Java process; it also stops on its own if we die.
    const killer = setTimeout(() => child.kill('SIGTERM'), options.killAfterMs);
    const stop = () => child.kill('SIGTERM');
    process.once('exit', stop);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(killer);
      process.off('exit', stop);
      resolve(code);
    });
  });
  await new Promise((resolve) => log.end(resolve));
  const wallMs = Date.now() - started;
  const report = await readFile(reportFile, 'utf8').then(
    (text) => JSON.parse(text) as RunSummary,
    () => undefined,
  );
  return { exitCode, ...(report && { report }), wallMs, outputFile, output };
}
