/**
 * The operator CLI (`npm run ops -- …`): dead-letter triage and redrive, kit lookup, feeding
 * events. Works against the running local stack (found through .local/stack.json) or against
 * an AWS account (--region/--profile, or --endpoint-sqs/--endpoint-dynamodb, with --prefix).
 * Every command prints tables for people or, with --json, JSON for scripts.
 */
import { Command, Option } from 'commander';
import Table from 'cli-table3';
import { QUEUES, type QueueKey } from '../shared/config/resources.js';
import { DEFAULT_STACK_FILE, positiveInteger } from '../shared/tooling/stack-settings.js';
import { findDeadLetters, listDeadLetters, renderDetail, renderListing } from './dlq.js';
import { card91Command } from './card91.js';
import { disclosure, type Disclosure } from './disclosure.js';
import { describeFilters, parseFilter, type Filter } from './filters.js';
import { lookupKit, renderKits } from './kit.js';
import { inline, printable, printableJson } from './printable.js';
import { redrive, type RedriveResult } from './redrive.js';
import { sendFile } from './send.js';
import { DEFAULT_IMPORT_RATE, DEFAULT_IMPORT_STATE_DIR, runImport } from './import/command.js';
import { signCommand } from './sign.js';
import { TargetError, parseQueue, resolveTarget, type OpsTarget, type TargetOptions } from './target.js';

/** Where to act (the options resolveTarget reads) and how to print. */
interface GlobalOptions extends Omit<TargetOptions, 'max'> {
  json?: boolean;
  reveal?: boolean;
}

/** Most DLQ messages read per queue on SQS, where looking means receiving. */
const PEEK_LIMIT = 1_000;

const program = new Command('npm run ops --')
  .description('Operate the card-issuance pipeline: dead letters, kits, events.')
  .option('--stack-file <path>', 'the local stack description written by npm start', process.env.STACK_FILE ?? DEFAULT_STACK_FILE)
  .option('--region <region>', 'AWS region (targets AWS instead of the local stack)')
  .option('--profile <name>', 'AWS profile (targets AWS instead of the local stack)')
  .option('--endpoint-sqs <url>', 'SQS endpoint (another emulator)')
  .option('--endpoint-dynamodb <url>', 'DynamoDB endpoint (another emulator)')
  .option('--prefix <stage>', 'resource prefix of the stage (queue and table names); required with the options above')
  .option('--json', 'print JSON for scripts')
  .option('--reveal', 'show personal data whole (masked by default); leaves a warning naming the command on stderr')
  .showHelpAfterError('(add --help for usage)')
  .addHelpText(
    'after',
    `
Examples:
  npm run ops -- dlq list
  npm run ops -- dlq show <DLQ message id | original message id | event id>
  npm run ops -- dlq redrive --filter code=CUS001 --dry-run
  npm run ops -- kit K0000000042 --tenant ACME_BANK
  npm run ops -- send events.jsonl
  npm run ops -- import book.jsonl --rate 200
  npm run ops -- --region eu-west-1 --prefix prod import s3://migrations/acme-book.jsonl
  npm run ops -- --region eu-west-1 --profile prod --prefix prod dlq list --json`,
  );

/** How a command prints: JSON or text, personal data masked or revealed. */
interface Output {
  json: boolean;
  view: Disclosure;
}

/** `dlq show`, `kit`: what the reveal warning names. */
const commandPath = (command: Command): string => (command.parent && command.parent.parent ? `${command.parent.name()} ${command.name()}` : command.name());

/** Runs an action against the target the global options name, and prints JSON or text. */
function action<A extends unknown[]>(run: (target: OpsTarget, output: Output, ...args: A) => Promise<{ data: unknown; text: string; failed?: boolean }>) {
  return async (...args: A) => {
    const command = args[args.length - 1] as Command;
    const globals = command.optsWithGlobals<GlobalOptions>();
    const target = await resolveTarget({ ...globals, max: PEEK_LIMIT });
    try {
      const output = { json: globals.json === true, view: disclosure(globals.reveal, commandPath(command)) };
      const { data, text, failed } = await run(target, output, ...args);
      // Dead letters and ledgers hold text anyone upstream wrote: nothing a terminal acts on is printed raw.
      console.log(globals.json ? printableJson(data) : printable(text));
      if (failed) process.exitCode = 1;
    } finally {
      target.sqs.destroy();
      target.dynamo.destroy();
    }
  };
}

const queuesOption = () =>
  new Option(
    '--queue <name>',
    `one queue (${Object.values(QUEUES)
      .map((q) => q.name)
      .join(', ')}); default all`,
  ).argParser(parseQueue);
const queuesOf = (queue: QueueKey | undefined): QueueKey[] => (queue ? [queue] : (Object.keys(QUEUES) as QueueKey[]));

const dlq = program.command('dlq').description('dead-letter queues: list, show, redrive');

dlq
  .command('list')
  .description('dead-lettered records per queue: category, code, attempts, event (no bodies)')
  .addOption(queuesOption())
  .option('--max <n>', 'rows shown per queue (JSON lists all)', positiveInteger, 50)
  .action(
    action(async (target, { view }, options: { queue?: QueueKey; max: number }) => {
      const listings = await listDeadLetters(target, queuesOf(options.queue), view);
      return { data: { target: target.label, queues: listings }, text: `${target.label}\n${renderListing(listings, options.max)}` };
    }),
  );

dlq
  .command('show')
  .description('one dead-lettered record: reason, code, attempts, body with personal data masked (--reveal: whole)')
  .argument('<id>', 'DLQ message id, original message id or event id')
  .addOption(queuesOption())
  .action(
    action(async (target, { view }, id: string, options: { queue?: QueueKey }) => {
      const found = await findDeadLetters(target, queuesOf(options.queue), id, view);
      if (found.length === 0) return { data: { target: target.label, id, found: [] }, text: `no dead letter with id ${id} on ${target.label}`, failed: true };
      return { data: { target: target.label, id, found }, text: renderDetail(found, view.reveal) };
    }),
  );

dlq
  .command('redrive')
  .description('move dead letters back to their source queue (all, or those matching --filter)')
  .addOption(queuesOption())
  .addOption(new Option('--filter <key=value>', 'only matching records; keys code, category, type, tenant, function; repeat to AND, comma for OR').argParser(parseFilter))
  .option('--dry-run', 'show what would move, move nothing')
  .option('--max <n>', 'move at most this many per queue', positiveInteger)
  .action(
    action(async (target, _output, options: { queue?: QueueKey; filter?: Filter[]; dryRun?: boolean; max?: number }) => {
      const filters = options.filter ?? [];
      const results: RedriveResult[] = [];
      for (const queue of queuesOf(options.queue)) {
        results.push(await redrive(target, queue, { filters, dryRun: options.dryRun === true, ...(options.max !== undefined && { max: options.max }) }));
      }
      // A DLQ another run was redriving is not done: the caller should look again once that run ends.
      return { data: { target: target.label, filter: describeFilters(filters), results }, text: renderRedrive(target, filters, results), failed: results.some((r) => r.mode === 'busy') };
    }),
  );

program
  .command('kit')
  .description("a kit's ledger: who it was issued to, its last delivery status, the courier events seen")
  .argument('<kitNo>')
  .option('--tenant <tenant>', 'the DCMS tenant (default: look in every configured tenant)')
  .action(
    action(async (target, { view }, kitNo: string, options: { tenant?: string }) => {
      const kits = view.data(await lookupKit(target, kitNo, options.tenant ? [options.tenant] : await target.tenants()));
      if (kits.length === 0) return { data: { target: target.label, kitNo, kits }, text: `kit ${kitNo} is not in the ledger on ${target.label}`, failed: true };
      return { data: { target: target.label, kitNo, kits }, text: renderKits(kits) };
    }),
  );

program
  .command('send')
  .description('send CloudEvents from a JSONL file to their queues (routed by type, like npm start --feed)')
  .argument('<file>', 'one CloudEvent per line')
  .action(
    action(async (target, { view }, file: string) => {
      const sent = await sendFile(target, file, target.consumers);
      const refused = sent.filter((s) => s.refused !== undefined);
      const table = new Table({ head: ['line', 'queue', 'type', 'event id', 'message id / refused'], style: { head: [], border: [] } });
      // A refusal's reason can quote the line it refuses.
      const shown = sent.map((s) => (s.refused === undefined ? s : { ...s, refused: view.text(s.refused) }));
      for (const s of shown) table.push([s.line, s.queue, s.eventType ?? '(not an event)', s.eventId ?? '', s.messageId ?? `REFUSED: ${s.refused}`].map(inline));
      const text = `${table.toString()}\n${sent.length - refused.length} sent, ${refused.length} refused, to ${target.label}`;
      return { data: { target: target.label, sent: shown }, text, failed: refused.length > 0 };
    }),
  );

program
  .command('import')
  .description('bulk import: stream a JSONL file of customer.created / account.opened events into the bulk queue at a controlled rate, resumable')
  .argument('<source>', 'a JSONL file, or s3://bucket/key with --region and --prefix')
  .option('--rate <n>', 'messages per second, at most', positiveInteger, DEFAULT_IMPORT_RATE)
  .option('--state-dir <dir>', 'where checkpoints are kept (one per file content and queue)', DEFAULT_IMPORT_STATE_DIR)
  .option('--wait', 'after sending, wait for the bulk workers to empty the queue, then count what was dead-lettered')
  .action(
    action(async (target, { json, view }, source: string, options: { rate: number; stateDir: string; wait?: boolean }, command: Command) => {
      const { region, profile } = command.optsWithGlobals<GlobalOptions>();
      return runImport(target, { json, view }, source, { ...options, ...(region !== undefined && { region }), ...(profile !== undefined && { profile }) });
    }),
  );

program.addCommand(signCommand());
program.addCommand(card91Command());

function renderRedrive(target: OpsTarget, filters: readonly Filter[], results: readonly RedriveResult[]): string {
  const table = new Table({ head: ['queue', 'how', 'moved', 'left in DLQ', 'note'], style: { head: [], border: [] } });
  for (const r of results) {
    const how = { dryRun: 'dry run (would move)', native: `SQS move task ${r.taskHandle ?? ''}`.trim(), copy: 'copied one by one', busy: 'not moved: another redrive runs' }[r.mode];
    table.push([QUEUES[r.queue].name, how, r.moved, r.left, r.note ?? '']);
  }
  return `${target.label}: redrive of ${describeFilters(filters)}\n${table.toString()}`;
}

program.parseAsync().catch((error: unknown) => {
  console.error(printable(error instanceof TargetError ? error.message : `ops: ${error instanceof Error ? error.message : String(error)}`));
  process.exitCode = error instanceof TargetError ? 2 : 1;
});
