import { describe, expect, it } from 'vitest';
import { defaultSeed } from '../../sandbox/card91/seed-data.js';
import { cardControlPhase, coreBankingPhase, courierPhase } from '../../local/demo/dataset.js';

type Line = { id?: string; type?: string; tenant?: string; data?: Record<string, unknown> };
const parse = (lines: string[]): Array<Line | undefined> =>
  lines.map((line) => {
    try {
      return JSON.parse(line) as Line;
    } catch {
      return undefined;
    }
  });

const options = { customers: 150, tenants: ['ACME_BANK', 'GLOBEX_BANK'], runId: 'test' };

describe('demo dataset', () => {
  it("opens second accounts with the card type of the customer's first card", () => {
    const events = parse(coreBankingPhase(options)).filter((e): e is Line => e !== undefined);
    const firstCard = new Map<string, { accountNo: string; cardType: string }>();
    const secondAccounts: Array<{ entityId: string; cardType: string }> = [];
    for (const event of events) {
      const data = event.data ?? {};
      const entityId = String(data.entityId);
      if (event.type === 'bank.customer.created.v1') {
        const card = data.card as { accountNo: string; cardType: string } | undefined;
        if (card && !firstCard.has(entityId)) firstCard.set(entityId, card);
      } else if (event.type === 'bank.account.opened.v1') {
        const first = firstCard.get(entityId);
        const opened = { accountNo: String(data.accountNo), cardType: String(data.cardType) };
        if (!first) firstCard.set(entityId, opened);
        else if (first.accountNo !== opened.accountNo) secondAccounts.push({ entityId, cardType: opened.cardType });
        if (first && first.accountNo !== opened.accountNo) expect(opened.cardType).toBe(first.cardType);
      }
    }
    expect(secondAccounts.length).toBeGreaterThanOrEqual(15);
    expect(secondAccounts.filter((account) => account.cardType === 'PHYSICAL').length).toBeGreaterThanOrEqual(10);
  });

  it('keeps every other shape for the same seed, and draws other shapes for another seed', () => {
    const withoutSecondAccounts = (lines: string[]) => parse(lines).filter((e) => !(e?.type === 'bank.account.opened.v1' && String(e.data?.accountNo).startsWith('6')));
    const shape = (lines: Array<Line | undefined>) =>
      lines.map((e) => `${e?.type}:${String(e?.data?.entityId)}:${String(e?.data?.cardType ?? (e?.data?.card as { cardType?: string } | undefined)?.cardType)}`);
    expect(shape(withoutSecondAccounts(coreBankingPhase(options)))).toEqual(shape(withoutSecondAccounts(coreBankingPhase(options))));
    expect(shape(parse(coreBankingPhase({ ...options, seed: 7 })))).not.toEqual(shape(parse(coreBankingPhase(options))));
  });

  it('leaves out every event meant to fail when asked for valid events only', () => {
    const all = parse([...coreBankingPhase(options), ...courierPhase(options, [{ tenant: 'ACME_BANK', kitNo: '4240181595' }]), ...cardControlPhase('ACME_BANK', defaultSeed())]);
    const valid = parse([
      ...coreBankingPhase({ ...options, validOnly: true }),
      ...courierPhase({ ...options, validOnly: true }, [{ tenant: 'ACME_BANK', kitNo: '4240181595' }]),
      ...cardControlPhase('ACME_BANK', defaultSeed(), { validOnly: true }),
    ]);
    const meantToFail = (e: Line | undefined) =>
      e === undefined ||
      e.tenant === 'UNKNOWN_BANK' ||
      e.type === 'bank.customer.closed.v1' ||
      String(e.data?.entityId ?? '').includes('LATE') ||
      String(e.data?.entityId ?? '').endsWith('BAD') ||
      String(e.data?.kitNo ?? '').startsWith('NOKIT');
    expect(all.filter(meantToFail).length).toBeGreaterThan(8);
    expect(valid.filter(meantToFail)).toEqual([]);
    expect(valid.filter((e) => e?.type === 'bank.card.control.requested.v1')).toHaveLength(5);
    expect(all.length - valid.length).toBe(all.filter(meantToFail).length + 2); // + the two card controls Card91 refuses
  });
});
