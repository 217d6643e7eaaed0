import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { SingleBar } from 'cli-progress';
import { QUEUES } from '../../shared/config/resources.js';
import type { Disclosure } from '../disclosure.js';
import type { OpsTarget } from '../target.js';
import { queueDepth, waitUntilDrained } from './backlog.js';
import { CheckpointStore } from './checkpoint.js';
import { importEvents } from './run.js';
import { importSource, isS3Uri, scanSource } from './source.js';
import { renderSummary, summarize } from './summary.js';

/** Checkpoints of local runs: beside the stack description, out of git. */
export const DEFAULT_IMPORT_STATE_DIR = fileURLToPath(new URL('../../.local/imports/', import.meta.url));
/** Messages/s by default: a little above what the bulk lane drains at a 100 req/s tenant, so its workers never wait for the import. */
export const DEFAULT_IMPORT_RATE = 100;

export interface ImportCommandOptions {
  rate: number;
  stateDir: string;
  wait?: boolean;
  /** The target's AWS settings, for an `s3://` source. */
  region?: string;
  profile?: string;
}

/** `ops import FILE.jsonl | s3://bucket/key`: the bulk import, from the check of its source to its summary. */
export async function runImport(target: OpsTarget, { json, view }: { json: boolean; view: Disclosure }, spec: string, options: ImportCommandOptions) {
  if (isS3Uri(spec) && options.region === undefined && options.profile === undefined) {
    throw new Error('an s3:// source needs the AWS target: pass --region (and --profile) with --prefix');
  }
  let s3: S3Client | undefined;
  const source = importSource(spec, () => (s3 ??= new S3Client({ ...(options.region && { region: options.region }), ...(options.profile && { profile: options.profile }) })));
  try {
    const queueUrl = await target.queueUrl('coreBankingBulk');
    const dlqUrl = await target.queueUrl('coreBankingBulk', true);
    if (!target.consumers.has('coreBankingBulk')) console.error(`note: no worker reads ${QUEUES.coreBankingBulk.name} on ${target.label}: the events wait in the queue until one does`);
    const [scan, tenants, dlqBefore] = await Promise.all([scanSource(source), target.tenants(), queueDepth(target.sqs, dlqUrl)]);

    const controller = new AbortController();
    const stop = () => {
      console.error('\nstopping after the batch under way (Ctrl-C again to quit at once; the checkpoint is already safe)');
      controller.abort();
    };
    process.once('SIGINT', stop);
    // The bar goes to stderr, so --json output on stdout stays clean; cli-progress draws nothing when stderr is not a terminal.
    const bar = json ? undefined : new SingleBar({ format: 'import |{bar}| {value}/{total} lines | {speed} msg/s | ETA {eta_formatted}', stream: process.stderr, etaBuffer: 50 });
    const started = performance.now();
    let result;
    try {
      result = await importEvents({
        source,
        sqs: target.sqs,
        queueUrl,
        tenants: new Set(tenants),
        store: new CheckpointStore(options.stateDir),
        scan,
        rate: options.rate,
        signal: controller.signal,
        onProgress: (done, checkpoint) => {
          if (!bar) return;
          if (!bar.isActive) bar.start(scan.lines, done, { speed: '0' });
          const seconds = (performance.now() - started) / 1_000;
          bar.update(done, { speed: (checkpoint.imported / Math.max(seconds, 0.001)).toFixed(0) });
        },
      });
    } finally {
      bar?.stop();
      process.removeListener('SIGINT', stop);
    }
    if (options.wait && result.checkpoint.completed) {
      await waitUntilDrained(target.sqs, queueUrl, (depth) => !json && process.stderr.isTTY && process.stderr.write(`\rwaiting for the bulk workers: ${depth} messages left   `));
    }
    const [stillQueued, dlqAfter] = await Promise.all([queueDepth(target.sqs, queueUrl), queueDepth(target.sqs, dlqUrl)]);
    const summary = summarize(result, { source: source.label, target: target.label, queue: QUEUES.coreBankingBulk.name, stillQueued, dlqBefore, dlqAfter }, view);
    return { data: summary, text: renderSummary(summary), failed: !summary.completed || summary.rejected > 0 };
  } finally {
    s3?.destroy();
  }
}
