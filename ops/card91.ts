import { Command, InvalidArgumentError, Option } from 'commander';
import { mobileSchema } from '../shared/card91/index.js';
import { disclosure } from './disclosure.js';
import { connect, type ConnectionOptions } from './card91/connect.js';
import { loadsLookup, transactionsLookup } from './card91/history-lookups.js';
import type { Lookup } from './card91/lookup.js';
import { balancesLookup, cardsLookup, customerLookup, tripsLookup } from './card91/profile-lookups.js';

/**
 * Support lookups at Card91 for one cardholder, by mobile (the API is customer-scoped: every
 * lookup logs that customer in with our sdkAuthToken, which Card91 has our auth webhook verify).
 * Output is masked, JSON included, by the operator policy (shared/observability/personal-data.ts):
 * only fields known to be safe are shown; names, mobile, email, date of birth, PAN, passport,
 * account numbers and document links never reach a terminal whole, unless `--reveal` (an option of
 * the ops CLI) is given, which leaves a warning naming the command on stderr.
 *
 *   npm run ops -- card91 customer --mobile 919876543210
 *   npm run ops -- card91 transactions --mobile 9876543210 --all --json
 *
 * Where Card91 is: --base-url / CARD91_BASE_URL, else the Card91 sandbox of the running local
 * stack (.local/stack.json, or STACK_FILE). Org id: --org-id / CARD91_ORG_ID, else the sandbox's.
 * Signing secrets: CARD91_SDK_AUTH_SECRETS_ID (Secrets Manager) or CARD91_SDK_AUTH_SECRETS_JSON,
 * else the published local ones; never a flag, so they stay out of shell history.
 */

/** `919876543210`, `+91 98765 43210` or `9876543210` → `919876543210`. */
function parseMobile(value: string): string {
  const digits = value.replace(/[\s+-]/g, '');
  const mobile = /^\d{10}$/.test(digits) ? `91${digits}` : digits;
  if (!mobileSchema.safeParse(mobile).success) throw new InvalidArgumentError('expected 91 and 10 digits (919876543210), or the 10 digits alone');
  return mobile;
}

function lookupCommand<T, O extends object>(lookup: Lookup<T, O>): Command {
  const command = new Command(lookup.name)
    .description(lookup.description)
    .requiredOption('--mobile <mobile>', 'the cardholder: 91 and 10 digits, or the 10 digits alone', parseMobile)
    .addOption(new Option('--base-url <url>', 'Card91 base URL (default: the local stack’s Card91 sandbox)').env('CARD91_BASE_URL'))
    .addOption(new Option('--org-id <id>', 'our Card91 org id (default: the sandbox’s)').env('CARD91_ORG_ID'))
    .option('--json', 'print the masked result as JSON, for scripts');
  lookup.options?.(command);
  command.action(async (options: ConnectionOptions & O) => {
    const view = disclosure(command.optsWithGlobals<{ reveal?: boolean }>().reveal, `card91 ${lookup.name}`);
    let masked: T;
    try {
      masked = view.data(await lookup.fetch(await connect(options), options));
    } catch (error) {
      // Card91 errors carry the method, the status and the code only: no body, no mobile.
      return command.error(`card91 ${lookup.name}: ${error instanceof Error ? error.message : String(error)}`, { exitCode: 1, code: 'card91.failed' });
    }
    const write = command.configureOutput().writeOut ?? ((text: string) => process.stdout.write(text));
    write(options.json ? `${JSON.stringify(masked, null, 2)}\n` : lookup.render(masked));
  });
  return command;
}

/** The `card91` command, for the operator CLI to mount (`program.addCommand(card91Command())`). */
export function card91Command(): Command {
  return new Command('card91')
    .description('support lookups at Card91 for one cardholder, by mobile (masked output)')
    .addCommand(lookupCommand(customerLookup))
    .addCommand(lookupCommand(cardsLookup))
    .addCommand(lookupCommand(balancesLookup))
    .addCommand(lookupCommand(transactionsLookup))
    .addCommand(lookupCommand(loadsLookup))
    .addCommand(lookupCommand(tripsLookup));
}
