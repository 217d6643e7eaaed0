import { InvalidArgumentError } from 'commander';
import { platformIdSchema, type CardLoad, type Transaction } from '../../shared/card91/index.js';
import { positiveInteger } from '../../shared/tooling/stack-settings.js';
import type { Lookup } from './lookup.js';
import { table } from './tables.js';

/** Lookups of what happened on the cardholder's accounts: transactions, and loads, reloads and encashments. */

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

function parseCardId(value: string): string {
  if (!platformIdSchema.safeParse(value).success) throw new InvalidArgumentError('expected a Card91 card id (CID…)');
  return value;
}

const PER_PAGE = 25;

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

export const transactionsLookup: Lookup<AccountTransactions[], { all?: boolean; page: number }> = {
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

export const loadsLookup: Lookup<AccountLoads[], { card?: string }> = {
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
