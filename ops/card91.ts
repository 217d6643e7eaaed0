import Table from 'cli-table3';
import { Command, InvalidArgumentError, Option } from 'commander';
import { SANDBOX_ORG_ID } from '../sandbox/card91/seed-data.js';
import {
  Card91Client,
  mobileSchema,
  platformIdSchema,
  type Card,
  type CardLimit,
  type CardLoad,
  type CardProgram,
  type CurrencyBalance,
  type CustomerDetail,
  type Transaction,
  type Trip,
} from '../shared/card91/index.js';
import { maskDeep } from '../shared/observability/masking.js';
import { sdkAuthTokenProvider } from '../shared/worker/card91-runtime.js';
import { DEFAULT_STACK_FILE, positiveInteger } from '../local/stack/boot/settings.js';
import { isRunning, readStackFile } from '../local/stack/boot/stack-file.js';
import { LOCAL_CARD91_SDK_AUTH_SECRETS } from '../local/worker-env.js';

/**
 * Support lookups at Card91 for one cardholder, by mobile (the API is customer-scoped: every
 * lookup logs that customer in with our sdkAuthToken, which Card91 has our auth webhook verify).
 * Output is masked, JSON included, by the same rules as every log line
 * (shared/observability/masking.ts): names, mobile, email, date of birth, PAN, passport, account
 * numbers and document links never reach a terminal whole.
 *
 *   npm run ops -- card91 customer --mobile 919876543210
 *   npm run ops -- card91 transactions --mobile 9876543210 --all --json
 *
 * Where Card91 is: --base-url / CARD91_BASE_URL, else the Card91 sandbox of the running local
 * stack (.local/stack.json, or STACK_FILE). Org id: --org-id / CARD91_ORG_ID, else the sandbox's.
 * Signing secrets: CARD91_SDK_AUTH_SECRETS_ID (Secrets Manager) or CARD91_SDK_AUTH_SECRETS_JSON,
 * else the published local ones; never a flag, so they stay out of shell history.
 */

interface ConnectionOptions {
  mobile: string;
  baseUrl?: string;
  orgId?: string;
  json?: boolean;
}

/** `919876543210`, `+91 98765 43210` or `9876543210` → `919876543210`. */
function parseMobile(value: string): string {
  const digits = value.replace(/[\s+-]/g, '');
  const mobile = /^\d{10}$/.test(digits) ? `91${digits}` : digits;
  if (!mobileSchema.safeParse(mobile).success) throw new InvalidArgumentError('expected 91 and 10 digits (919876543210), or the 10 digits alone');
  return mobile;
}

function parseCardId(value: string): string {
  if (!platformIdSchema.safeParse(value).success) throw new InvalidArgumentError('expected a Card91 card id (CID…)');
  return value;
}

async function localStackCard91Url(): Promise<string> {
  const file = process.env.STACK_FILE || DEFAULT_STACK_FILE;
  const stack = await readStackFile(file);
  if (stack === undefined) throw new Error('no Card91 to ask: pass --base-url, set CARD91_BASE_URL, or start the local stack (npm start)');
  if (!isRunning(stack)) throw new Error(`the local stack described in ${file} (pid ${stack.pid}) is not running: start it (npm start) or pass --base-url`);
  if (stack.card91Url === undefined) throw new Error('the running local stack has no Card91: pass --base-url or set CARD91_BASE_URL');
  return stack.card91Url;
}

async function connect(options: ConnectionOptions): Promise<Card91Client> {
  const baseUrl = options.baseUrl ?? (await localStackCard91Url());
  const { CARD91_SDK_AUTH_SECRETS_ID, CARD91_SDK_AUTH_SECRETS_JSON } = process.env;
  const secrets =
    CARD91_SDK_AUTH_SECRETS_ID || CARD91_SDK_AUTH_SECRETS_JSON
      ? { CARD91_SDK_AUTH_SECRETS_ID, CARD91_SDK_AUTH_SECRETS_JSON }
      : { CARD91_SDK_AUTH_SECRETS_JSON: JSON.stringify(LOCAL_CARD91_SDK_AUTH_SECRETS) };
  return new Card91Client({ baseUrl, orgId: options.orgId ?? SANDBOX_ORG_ID, sdkAuthTokenProvider: sdkAuthTokenProvider(secrets) });
}

// ---- rendering ------------------------------------------------------------------------------

type Cell = string | number | boolean | null | undefined;

const PLAIN = { head: [], border: [] };

/** A table of (already masked) rows; its columns are the keys of the first row. */
function table(title: string, rows: ReadonlyArray<Record<string, Cell>>): string {
  if (rows.length === 0) return `${title}: none\n`;
  const head = Object.keys(rows[0]!);
  const rendered = new Table({ head, style: PLAIN });
  for (const row of rows) rendered.push(head.map((column) => String(row[column] ?? '')));
  return `${title}\n${rendered.toString()}\n`;
}

function fields(title: string, record: Record<string, Cell>): string {
  const rendered = new Table({ style: PLAIN });
  for (const [name, value] of Object.entries(record)) rendered.push({ [name]: String(value ?? '') });
  return `${title}\n${rendered.toString()}\n`;
}

// ---- lookups --------------------------------------------------------------------------------

interface Lookup<T, O extends object = object> {
  name: string;
  description: string;
  options?: (command: Command) => Command;
  /** Reads Card91. The result is masked before anything is printed. */
  fetch: (client: Card91Client, options: ConnectionOptions & O) => Promise<T>;
  /** Human output, from the masked result. */
  render: (masked: T) => string;
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
    let masked: T;
    try {
      masked = maskDeep(await lookup.fetch(await connect(options), options));
    } catch (error) {
      // Card91 errors carry the method, the status and the code only: no body, no mobile.
      return command.error(`card91 ${lookup.name}: ${error instanceof Error ? error.message : String(error)}`, { exitCode: 1, code: 'card91.failed' });
    }
    const write = command.configureOutput().writeOut ?? ((text: string) => process.stdout.write(text));
    write(options.json ? `${JSON.stringify(masked, null, 2)}\n` : lookup.render(masked));
  });
  return command;
}

interface CardWithLimits extends Card {
  limits: CardLimit[];
}
interface AccountCards {
  accountId: string;
  programName: string | null | undefined;
  cards: CardWithLimits[];
}
interface AccountBalances {
  accountId: string;
  currencies: CurrencyBalance[];
  splitTxnAllowed: boolean | null | undefined;
}
interface AccountTransactions {
  accountId: string;
  /** Absent with --all. */
  page?: number;
  totalPages?: number;
  transactions: Transaction[];
}
interface AccountLoads {
  accountId: string;
  loads: CardLoad[];
}

const cardRows = (accounts: ReadonlyArray<Pick<CardProgram, 'accountId' | 'programName' | 'cards'>>) =>
  accounts.flatMap((account) =>
    account.cards.map((card) => ({ account: account.accountId, program: account.programName, card: card.id, lastFour: card.lastFour, type: card.type, state: card.state })),
  );

const customerLookup: Lookup<CustomerDetail> = {
  name: 'customer',
  description: 'the cardholder’s profile: identity, KYC, LRS limits, accounts and cards',
  fetch: (client, { mobile }) => client.loginWithToken(mobile),
  render: (c) =>
    fields('Customer', {
      id: c.id,
      status: c.status,
      firstName: c.firstName,
      lastName: c.lastName,
      mobile: c.mobile,
      email: c.email,
      dob: c.dob,
      panValue: c.panValue,
      passportValue: c.passportValue,
      passportValidity: c.passportValidity,
      currencyCode: c.currencyCode,
      lrsLimit: c.lrsLimit,
      usedLimit: c.usedLimit,
      availableLimit: c.availableLimit,
    }) + table('Cards', cardRows(c.cardPrograms)),
};

const channel = (per: string, max: string, enabled: boolean) => `${per} / ${max}${enabled ? '' : ' (off)'}`;

const cardsLookup: Lookup<AccountCards[]> = {
  name: 'cards',
  description: 'the cardholder’s cards: state, and per-currency limits against their ceilings',
  fetch: async (client, { mobile }) => {
    const customer = await client.loginWithToken(mobile);
    return Promise.all(
      customer.cardPrograms.map(async (account) => ({
        accountId: account.accountId,
        programName: account.programName,
        cards: await Promise.all(account.cards.map(async (card) => ({ ...card, limits: (await client.getCardSettings(mobile, card.id)).limits }))),
      })),
    );
  },
  render: (accounts) =>
    table('Cards', cardRows(accounts)) +
    table(
      'Limits per transaction (current / ceiling)',
      accounts.flatMap((account) =>
        account.cards.flatMap((card) =>
          card.limits.map((line) => ({
            card: card.lastFour,
            currency: line.currency,
            atm: channel(line.perAtmTxnLimit, line.maxPerAtmTxnLimit, line.isAtmLimitEnabled),
            online: channel(line.perOnlineTxnLimit, line.maxPerOnlineTxnLimit, line.isOnlineLimitEnabled),
            pos: channel(line.perPosTxnLimit, line.maxPerPosTxnLimit, line.isPosLimitEnabled),
            contactless: channel(line.perContactlessTxnLimit, line.maxPerContactlessTxnLimit, line.isContactLessAllowed),
          })),
        ),
      ),
    ),
};

const balancesLookup: Lookup<AccountBalances[]> = {
  name: 'balances',
  description: 'balances per currency of each of the cardholder’s accounts',
  fetch: async (client, { mobile }) => {
    const customer = await client.loginWithToken(mobile);
    return Promise.all(
      customer.cardPrograms.map(async ({ accountId }) => {
        const balances = await client.getCurrencyBalances(mobile, accountId);
        return { accountId, currencies: balances.accountCurrencyBalanceList, splitTxnAllowed: balances.splitTxnAllowed };
      }),
    );
  },
  render: (accounts) =>
    table(
      'Balances',
      accounts.flatMap((account) =>
        account.currencies.map((line) => ({ account: account.accountId, currency: line.currencyCode, balance: line.balance, priority: line.priority, status: line.isActive })),
      ),
    ),
};

const PER_PAGE = 25;

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

const transactionsLookup: Lookup<AccountTransactions[], { all?: boolean; page: number }> = {
  name: 'transactions',
  description: 'the cardholder’s transactions, per account (one page, or every page with --all)',
  options: (command) => command.option('--all', 'every page, not just one').option('--page <n>', 'page to show (from 1)', positiveInteger, 1),
  fetch: async (client, { mobile, all, page }) => {
    const customer = await client.loginWithToken(mobile);
    const accounts: AccountTransactions[] = [];
    for (const { accountId } of customer.cardPrograms) {
      if (all) {
        accounts.push({ accountId, transactions: await collect(client.iterateTransactions(mobile, { accountId, perPage: 100 })) });
      } else {
        const result = await client.getTransactions(mobile, { accountId, page, perPage: PER_PAGE });
        accounts.push({ accountId, page: result.currentPage, totalPages: result.totalPages, transactions: result.transactions });
      }
    }
    return accounts;
  },
  render: (accounts) =>
    accounts
      .map((account) =>
        table(
          `Transactions of account ${account.accountId}${account.page === undefined ? '' : ` (page ${account.page} of ${account.totalPages})`}`,
          account.transactions.map((t) => ({
            date: t.txnDate,
            txnId: t.txnId,
            card: t.cardLastFour,
            type: `${t.txnType ?? ''} ${t.txnCategory ?? ''}`.trim(),
            amount: t.amount,
            currency: t.currencyCode,
            status: t.txnStatus,
            merchant: t.merchantName,
            rrn: t.rrn,
            message: t.displayMessage,
          })),
        ),
      )
      .join(''),
};

const loadsLookup: Lookup<AccountLoads[], { card?: string }> = {
  name: 'loads',
  description: 'loads, reloads and encashments of the cardholder’s accounts (--card: only the account of that card)',
  options: (command) => command.option('--card <cardId>', 'only the account holding this card (CID…)', parseCardId),
  fetch: async (client, { mobile, card }) => {
    const customer = await client.loginWithToken(mobile);
    const accounts = card === undefined ? customer.cardPrograms : customer.cardPrograms.filter((account) => account.cards.some(({ id }) => id === card));
    if (accounts.length === 0) throw new Error(`card ${card} is not one of this customer's cards`);
    return Promise.all(accounts.map(async ({ accountId }) => ({ accountId, loads: await collect(client.iterateCardLoads(mobile, { accountId, perPage: 100 })) })));
  },
  render: (accounts) =>
    accounts
      .map((account) =>
        table(
          `Loads of account ${account.accountId}`,
          account.loads.map((load) => ({
            date: load.txnDate,
            id: load.cardLoadId,
            type: load.type,
            status: load.status,
            amount: load.fxAmount,
            currency: load.currencyCode,
            reference: load.referenceNumber,
          })),
        ),
      )
      .join(''),
};

const tripsLookup: Lookup<Trip[]> = {
  name: 'trips',
  description: 'the cardholder’s declared trips (LRS purpose, dates, load ceiling)',
  fetch: async (client, { mobile }) => {
    const customer = await client.loginWithToken(mobile);
    return client.getTrips(mobile, { customerId: customer.id, perPage: 100 });
  },
  render: (trips) =>
    table(
      'Trips',
      trips.map((trip) => ({
        trip: trip.mctcTripId,
        name: trip.tripName,
        status: trip.status,
        from: trip.tripStartDate,
        to: trip.tripEndDate,
        purpose: trip.travelPurposeCode,
        destination: trip.destinationCountryCode,
        maxLoad: trip.maxLoadLimit,
      })),
    ),
};

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
