import { describe, expect, it, vi } from 'vitest';
import { runWriteOnce, type WriteOnce } from '../../shared/protocol/write-once/run.js';
import { FailureCategory, IntegrationError } from '../../shared/resilience/errors.js';
import { permanent, unknown } from '../support/integration-errors.js';

/** Card91's use: no marker, no settle window. */
const sendAtMostOnce = <T>(write: Omit<WriteOnce<T>, 'deadline'>) => runWriteOnce({ settleWindowMs: 0, writeAheadMarker: false }, { ...write, deadline: Date.now() + 10_000 }, { clock: Date.now });

describe('runWriteOnce without a marker', () => {
  it('reads before re-sending after an unknown outcome and returns what it finds', async () => {
    const send = vi.fn().mockRejectedValue(unknown());
    const reconcile = vi.fn().mockResolvedValue('kit-1');
    await expect(sendAtMostOnce({ send, read: reconcile, checkFirst: false })).resolves.toEqual({ result: 'kit-1', reconciled: true });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('never sends twice in one invocation: an unknown outcome not found on read-back goes back to SQS', async () => {
    const send = vi.fn().mockRejectedValue(unknown());
    const reconcile = vi.fn().mockResolvedValue(undefined);
    await expect(sendAtMostOnce({ send, read: reconcile, checkFirst: false })).rejects.toMatchObject({ category: 'Transient', code: 'UNKNOWN_OUTCOME' });
    expect(send).toHaveBeenCalledTimes(1);
    expect(reconcile).toHaveBeenCalledTimes(1);
  });

  it('checks first on a redelivery and does not send when the effect exists', async () => {
    const send = vi.fn();
    await expect(sendAtMostOnce({ send, read: async () => 'done', checkFirst: true })).resolves.toEqual({ result: 'done', reconciled: true });
    expect(send).not.toHaveBeenCalled();
  });

  it('trusts "already exists" only when the read confirms it', async () => {
    const exists = new IntegrationError({ category: FailureCategory.Permanent, code: 'entity.already.exists', message: 'dup' });
    const isAlreadyDone = (e: IntegrationError) => e.code === 'entity.already.exists';
    await expect(sendAtMostOnce({ send: () => Promise.reject(exists), read: async () => 'c1', checkFirst: false, isAlreadyDone })).resolves.toMatchObject({ reconciled: true });
    await expect(sendAtMostOnce({ send: () => Promise.reject(exists), read: async () => undefined, checkFirst: false, isAlreadyDone })).rejects.toMatchObject({
      category: 'Permanent',
      code: 'entity.already.exists',
    });
  });

  it('passes permanent errors straight through without reading', async () => {
    const reconcile = vi.fn();
    await expect(sendAtMostOnce({ send: () => Promise.reject(permanent()), read: reconcile, checkFirst: false })).rejects.toMatchObject({ category: 'Permanent' });
    expect(reconcile).not.toHaveBeenCalled();
  });
});
