import { describe, expect, it, vi } from 'vitest';
import { PendingSends } from '../../shared/persistence/pending-sends.js';
import { runWriteOnce, type WriteOnce } from '../../shared/protocol/write-once/run.js';
import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';
import { localAws } from '../support/local-aws.js';

const WINDOW_MS = 120_000;
const lost = () => new IntegrationError({ category: FailureCategory.UnknownOutcome, code: 'TIMEOUT', message: 'DCMS registerCard: no answer before the timeout' });

/** Write-ahead markers in DynamoDB Local, with a clock the test moves. */
async function setup() {
  const aws = await localAws();
  const store = new PendingSends(aws.dynamo, aws.resources.tables.integrationState);
  let now = 1_800_000_000_000;
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const key = `card#ACME_BANK#C1#${Math.random()}#PHYSICAL`;
  const settle = <T>(write: Omit<WriteOnce<T>, 'deadline'>) =>
    runWriteOnce({ settleWindowMs: WINDOW_MS, writeAheadMarker: true }, { ...write, deadline: clock.now() }, { marker: { port: store, key }, clock: clock.now });
  return { store, clock, key, settle };
}

describe('settle window: no re-send while an earlier send may still commit', () => {
  it('keeps the marker of a send whose outcome is unknown, and sends nothing again until the window has passed', async () => {
    const { store, clock, key, settle } = await setup();
    const send = vi.fn().mockRejectedValue(lost());
    const reconcile = vi.fn().mockResolvedValue(undefined);

    await expect(settle({ send, read: reconcile, checkFirst: true })).rejects.toMatchObject({ code: 'UNKNOWN_OUTCOME', dueInSeconds: 120 });
    expect(await store.lastSentAt(key)).toBe(clock.now());

    // Another delivery (or instance) 30 s later: reads, finds nothing, still does not send.
    clock.advance(30_000);
    await expect(settle({ send, read: reconcile, checkFirst: true })).rejects.toMatchObject({ code: 'SETTLING', dueInSeconds: 90 });
    expect(send).toHaveBeenCalledTimes(1);

    // After the window a read that still shows nothing allows one more send.
    clock.advance(90_000);
    send.mockResolvedValueOnce('kit-2');
    await expect(settle({ send, read: reconcile, checkFirst: true })).resolves.toEqual({ result: 'kit-2', reconciled: false });
    expect(send).toHaveBeenCalledTimes(2);
    // The marker stays (TTL removes it): a delivery that read "no marker" earlier can never write one and send again.
    expect(await store.lastSentAt(key)).toBe(clock.now());
  });

  it('takes a slow commit found by a later read as the result, and keeps the marker', async () => {
    const { store, clock, key, settle } = await setup();
    await expect(settle({ send: () => Promise.reject(lost()), read: async () => undefined, checkFirst: true })).rejects.toMatchObject({ code: 'UNKNOWN_OUTCOME' });
    clock.advance(17_000);
    const send = vi.fn();
    await expect(settle({ send, read: async () => 'kit-1', checkFirst: false })).resolves.toEqual({ result: 'kit-1', reconciled: true });
    expect(send).not.toHaveBeenCalled();
    expect(await store.lastSentAt(key)).toBeDefined();
  });

  it('reads first because of the marker even when the delivery looks like a first one (a worker that died mid-send)', async () => {
    const { store, clock, key, settle } = await setup();
    await store.markSending(key, clock.now(), undefined);
    clock.advance(5_000);
    const send = vi.fn();
    await expect(settle({ send, read: async () => undefined, checkFirst: false })).rejects.toMatchObject({ code: 'SETTLING' });
    expect(send).not.toHaveBeenCalled();
  });

  it('clears the marker when the platform refused the write or it never left (nothing can commit later)', async () => {
    const { store, key, settle } = await setup();
    const refused = new IntegrationError({ category: FailureCategory.DependencyNotReady, code: 'CUS001', message: 'customer not found' });
    await expect(settle({ send: () => Promise.reject(refused), read: async () => undefined, checkFirst: true })).rejects.toBe(refused);
    expect(await store.lastSentAt(key)).toBeUndefined();
  });

  it('treats an error the client did not classify as a send that may have landed', async () => {
    const { store, clock, key, settle } = await setup();
    const reconcile = vi.fn().mockResolvedValue(undefined);
    await expect(settle({ send: () => Promise.reject(new TypeError('socket hang up')), read: reconcile, checkFirst: true })).rejects.toMatchObject({ code: 'UNKNOWN_OUTCOME' });
    expect(reconcile).toHaveBeenCalledTimes(2);
    expect(await store.lastSentAt(key)).toBe(clock.now());
  });
});

describe('the marker as a lock: two deliveries never both send', () => {
  it('lets only the first of two deliveries that read no marker send; the other comes back', async () => {
    const { store, key, settle } = await setup();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The first delivery is held between marking and its answer: the second has read no marker either.
    const first = settle({ send: vi.fn(async () => (await held, 'kit-1')), read: async () => undefined, checkFirst: false });
    await vi.waitFor(async () => expect(await store.lastSentAt(key)).toBeDefined());
    const secondSend = vi.fn();
    const racing = runWriteOnce(
      { settleWindowMs: WINDOW_MS, writeAheadMarker: true },
      { send: secondSend, read: async () => undefined, checkFirst: false, deadline: 0 },
      {
        marker: { port: { ...store, lastSentAt: async () => undefined, markSending: store.markSending.bind(store), clear: store.clear.bind(store) }, key },
        clock: () => 0,
      },
    );
    await expect(racing).rejects.toMatchObject({ code: 'SEND_IN_PROGRESS' });
    expect(secondSend).not.toHaveBeenCalled();
    release();
    await expect(first).resolves.toEqual({ result: 'kit-1', reconciled: false });
    expect(await store.lastSentAt(key)).toBeDefined();
  });
});
