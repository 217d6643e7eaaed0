import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** How many of the slowest files the summary names: where a slower CI run should be looked at first. */
const SLOWEST = 10;

/** A file's time as the run spent it: set-up, import, then its tests and hooks. */
function fileMilliseconds(module: TestModule): number {
  const d = module.diagnostic();
  return d.environmentSetupDuration + d.prepareDuration + d.setupDuration + d.collectDuration + d.duration;
}

const seconds = (ms: number): string => `${(ms / 1_000).toFixed(1).padStart(6)} s`;

/**
 * Prints every test file's time, by project, then the ten slowest, after the default reporter's
 * summary: `npm test` (and so CI) shows where the minutes go.
 */
export default class TimingReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (modules.length === 0) return;
    const rows = modules
      .map((module) => ({ project: module.project.name, file: relative(process.cwd(), module.moduleId), ms: fileMilliseconds(module) }))
      .sort((a, b) => a.project.localeCompare(b.project) || a.file.localeCompare(b.file));
    const lines = ['', 'Test file times:', ...rows.map((row) => `${seconds(row.ms)}  ${row.project.padEnd(12)} ${row.file}`)];
    const slowest = [...rows].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST);
    lines.push('', `The ${slowest.length} slowest files:`, ...slowest.map((row) => `${seconds(row.ms)}  ${row.file}`), '');
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
