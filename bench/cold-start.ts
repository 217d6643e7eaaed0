/**
 * Cold start of every function: bundle size and module init time beside a bare handler (the SQS
 * and DynamoDB clients and zod, bench/fixtures/bare-handler.ts), as ratios. Goal: ≤ 500 KiB per
 * bundle and init ≤ 1.2× the bare handler. A second reference, the stack floor
 * (bench/fixtures/stack-floor-handler.ts: bare plus the Powertools logger, metrics and idempotency
 * and middy, nothing of ours), says how much of a function's init the chosen stack costs by itself.
 *
 * Each bundle is built with esbuild from the very options the CDK construct hands to NodejsFunction
 * (`BUNDLING` in infra/constructs/integration-function.ts), so what is measured is what deploys.
 * Init time is the `import()` of the bundle in a fresh `node` process (this Node, the deployed
 * major, stdout and stderr already open as Lambda's runtime has them), with a Lambda-like
 * environment (execution env, region, X-Ray daemon address,
 * `--enable-source-maps` as the function sets it; BENCH_NODE_OPTIONS overrides it); median of N
 * runs, taken round-robin after one unmeasured pass that warms the file cache. Absolute figures are
 * this machine's; the ratios are what to compare.
 *
 * `--compile-cache` measures each bundle a second time with a V8 compile cache beside it, as an
 * asset would ship it: built by one import of the bundle with NODE_COMPILE_CACHE (portable: keyed by
 * the path relative to the cache), then made read-only, as /var/task is, and read at every init.
 *
 *   npm run bench -- cold-start [runs=5] [--packages] [--compile-cache]     --packages: the largest packages per bundle
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { BUNDLING } from '../infra/constructs/integration-function.js';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const showPackages = args.includes('--packages');
const compileCache = args.includes('--compile-cache');
const ROOT = resolve(import.meta.dirname, '..');
const BUDGET_BYTES = 500 * 1_024;
const BUDGET_INIT_RATIO = 1.2;

/** The esbuild options NodejsFunction derives from BundlingOptions (aws-lambda-nodejs bundling.js), for the fields this project sets. */
function esbuildOptions(bundling: BundlingOptions, entry: string, outfile: string): BuildOptions {
  const known = new Set(['format', 'target', 'mainFields', 'banner', 'minify', 'sourceMap', 'sourcesContent', 'externalModules', 'esbuildArgs']);
  const { '--alias': aliases = [], ...otherArgs } = bundling.esbuildArgs ?? {};
  const unknown = [...Object.keys(bundling).filter((key) => !known.has(key)), ...Object.keys(otherArgs)];
  // A bundling option this bench does not reproduce would make its figures lie: stop instead.
  if (unknown.length > 0 || !Array.isArray(aliases)) throw new Error(`bench/cold-start.ts does not reproduce bundling option(s) ${unknown.join(', ') || '--alias'}: teach it`);
  return {
    // NodejsFunction runs esbuild from the project root: relative alias targets resolve from there.
    absWorkingDir: ROOT,
    alias: Object.fromEntries(aliases.map((entry) => entry.split('=') as [string, string])),
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    logLevel: 'warning',
    metafile: true,
    ...(bundling.target && { target: bundling.target }),
    ...(bundling.format && { format: bundling.format }),
    ...(bundling.mainFields && { mainFields: bundling.mainFields }),
    ...(bundling.banner && { banner: { js: bundling.banner } }),
    ...(bundling.minify && { minify: true }),
    ...(bundling.sourceMap && { sourcemap: true }),
    ...(bundling.sourcesContent === false && { sourcesContent: false }),
    external: bundling.externalModules ?? ['@aws-sdk/*'],
  };
}

/** What Lambda sets, plus every variable the functions validate at init (names only; nothing is called). */
const LAMBDA_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '--enable-source-maps',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
  AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  POWERTOOLS_METRICS_NAMESPACE: 'CardIssuance',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench',
  DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-dlq',
  QUEUE_FIFO: 'false',
  MAX_RECEIVE_COUNT: '5',
  IDEMPOTENCY_TABLE: 'bench-idempotency',
  STATE_TABLE: 'bench-integration-state',
  TENANTS_PARAMETER: '/bench/tenants',
  DCMS_BASE_URL: 'https://dcms.example.com/',
  DCMS_CREDENTIALS_SECRET: 'bench-dcms',
  CARD91_BASE_URL: 'https://card91.example.com/',
  CARD91_ORG_ID: 'OIDBENCH',
  CARD91_SDK_AUTH_SECRETS_ID: 'bench-card91',
  COURIER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-courier',
  REPLAY_TABLE: 'bench-webhook-replay',
  COURIERS_PARAMETER: '/bench/couriers',
};

interface Init {
  /** Wall-clock milliseconds of the `import()`: the module init Lambda bills. */
  wallMs: number;
  /** CPU milliseconds the process spent on it (every thread): the same work, less sensitive to a busy machine. */
  cpuMs: number;
}

/** The cache beside a bundle, as the asset would hold it; Node reads it from a read-only directory and writes nothing there. */
const cacheEnv = (bundle: string): NodeJS.ProcessEnv => ({ NODE_COMPILE_CACHE: join(dirname(bundle), '.compile-cache'), NODE_COMPILE_CACHE_PORTABLE: '1' });

/** The `import()` of the bundle in a new process. */
function initTime(bundle: string, service: string, extraEnv: NodeJS.ProcessEnv = {}): Init {
  // Lambda's runtime has set up stdout and stderr (its console writes there) before it imports the handler.
  const probe = `process.stdout; process.stderr; const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle).href)}); const w = performance.now() - t; const u = process.cpuUsage(c); console.log(JSON.stringify({ wallMs: w, cpuMs: (u.user + u.system) / 1000 }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
    env: { ...LAMBDA_ENV, POWERTOOLS_SERVICE_NAME: service, LAMBDA_TASK_ROOT: resolve(bundle, '..'), ...extraEnv },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Init;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Output bytes per package (node_modules/<name>, or "ours"), largest first. */
function packages(metafile: Metafile): [string, number][] {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const name = match ? match[1]! : 'ours';
      sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...sizes].sort((a, b) => b[1] - a[1]);
}

interface Measured {
  name: string;
  bytes: number;
  initMs: number;
  cpuMs: number;
  /** With the compile cache (`--compile-cache`). */
  cachedInitMs?: number;
  cachedCpuMs?: number;
  metafile: Metafile;
}

const out = mkdtempSync(join(tmpdir(), 'cold-start-'));
try {
  const entries: [string, string][] = [
    ['bare (SQS+DynamoDB+zod)', join(ROOT, 'bench/fixtures/bare-handler.ts')],
    ['stack floor (bare+Powertools+middy)', join(ROOT, 'bench/fixtures/stack-floor-handler.ts')],
    ...readdirSync(join(ROOT, 'functions'))
      .filter((service) => statSync(join(ROOT, 'functions', service, 'handler.ts'), { throwIfNoEntry: false }))
      .sort()
      .map((service): [string, string] => [service, join(ROOT, 'functions', service, 'handler.ts')]),
  ];
  const bundles = await Promise.all(
    entries.map(async ([name, entry]) => {
      const outfile = join(out, name.split(' ')[0]!, 'index.mjs');
      const result = await build(esbuildOptions(BUNDLING, entry, outfile));
      return { name, outfile, metafile: result.metafile!, times: [] as Init[], cachedTimes: [] as Init[] };
    }),
  );
  if (compileCache) {
    for (const bundle of bundles) {
      initTime(bundle.outfile, bundle.name, cacheEnv(bundle.outfile));
      const cache = cacheEnv(bundle.outfile).NODE_COMPILE_CACHE!;
      for (const entry of readdirSync(cache, { recursive: true })) chmodSync(join(cache, String(entry)), 0o555);
      chmodSync(cache, 0o555);
    }
  }
  // Round-robin, after one unmeasured pass: on a shared machine a burst of load then touches every bundle alike.
  for (let run = 0; run <= runs; run += 1) {
    for (const bundle of bundles) {
      const ms = initTime(bundle.outfile, bundle.name);
      if (run > 0) bundle.times.push(ms);
      if (compileCache) {
        const cached = initTime(bundle.outfile, bundle.name, cacheEnv(bundle.outfile));
        if (run > 0) bundle.cachedTimes.push(cached);
      }
    }
  }
  const measured: Measured[] = bundles.map((b) => ({
    name: b.name,
    bytes: statSync(b.outfile).size,
    initMs: median(b.times.map((t) => t.wallMs)),
    cpuMs: median(b.times.map((t) => t.cpuMs)),
    ...(compileCache && { cachedInitMs: median(b.cachedTimes.map((t) => t.wallMs)), cachedCpuMs: median(b.cachedTimes.map((t) => t.cpuMs)) }),
    metafile: b.metafile,
  }));
  const [bare, floor, ...functions] = measured as [Measured, Measured, ...Measured[]];
  const kib = (bytes: number) => `${(bytes / 1_024).toFixed(0)} KiB`;
  const load = loadavg()[0]!.toFixed(2);
  console.log(`cold start, ${cpus()[0]?.model ?? 'unknown CPU'} (${availableParallelism()} cores, load ${load}), Node ${process.version}, init = median of ${runs}\n`);
  const row = (cells: string[]) => console.log(cells.map((cell, i) => (i === 0 ? cell.padEnd(38) : cell.padStart(i === 7 ? 0 : 9))).join(''));
  row(['bundle', 'size', '× bare', 'init', '× bare', 'init CPU', '× bare', '  goal']);
  for (const f of [bare, floor, ...functions]) {
    const sizeRatio = f.bytes / bare.bytes;
    const initRatio = f.initMs / bare.initMs;
    const missed = [f.bytes > BUDGET_BYTES && 'size', initRatio > BUDGET_INIT_RATIO && 'init'].filter(Boolean);
    const verdict = f === bare || f === floor ? '' : missed.length === 0 ? '  met' : `  missed (${missed.join(', ')})`;
    row([f.name, kib(f.bytes), sizeRatio.toFixed(2), `${f.initMs.toFixed(0)} ms`, initRatio.toFixed(2), `${f.cpuMs.toFixed(0)} ms`, (f.cpuMs / bare.cpuMs).toFixed(2), verdict]);
  }
  console.log(`\ngoal: ≤ ${kib(BUDGET_BYTES)} per bundle, init ≤ ${BUDGET_INIT_RATIO}× bare`);
  if (compileCache) {
    console.log(
      '\nwith a compile cache shipped beside each bundle (read-only): × bare = against the bare handler without one, as the goal measures; × bare cached = against the bare handler with one',
    );
    row(['bundle', 'init', '× bare', '× cached', 'CPU', '× bare', '× cached', '']);
    for (const f of [bare, floor, ...functions]) {
      row([
        f.name,
        `${f.cachedInitMs!.toFixed(0)} ms`,
        (f.cachedInitMs! / bare.initMs).toFixed(2),
        (f.cachedInitMs! / bare.cachedInitMs!).toFixed(2),
        `${f.cachedCpuMs!.toFixed(0)} ms`,
        (f.cachedCpuMs! / bare.cpuMs).toFixed(2),
        (f.cachedCpuMs! / bare.cachedCpuMs!).toFixed(2),
        '',
      ]);
    }
  }
  if (showPackages) {
    for (const m of measured) {
      console.log(
        `\n${m.name}: ${packages(m.metafile)
          .slice(0, 40)
          .map(([name, bytes]) => `${name} ${kib(bytes)}`)
          .join(', ')}`,
      );
    }
  }
} finally {
  // The caches were made read-only: writable again, or a non-root user could not remove them.
  for (const entry of readdirSync(out, { recursive: true })) chmodSync(join(out, String(entry)), 0o755);
  rmSync(out, { recursive: true, force: true });
}
