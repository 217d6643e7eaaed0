import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as group from '../../shared/protocol/fifo-group/machine.js';
import * as kit from '../../shared/protocol/kit-status/machine.js';
import * as writeOnce from '../../shared/protocol/write-once/machine.js';
import { mermaidStateDiagram, type Transition } from '../../shared/tooling/state-diagram.js';

interface Step<S> {
  state: S;
}

/**
 * Every transition a machine can take, found by trying every observation (in each of its
 * interesting shapes) in every state reachable from the start: the code's own diagram.
 */
function explore<S extends { at: string }, O extends { kind: string }>(start: Array<Step<S>>, decide: (state: S, observation: O) => Step<S>, observations: (state: S) => O[]): Transition[] {
  const seen = new Set<string>();
  const found = new Map<string, Transition>();
  const queue = [...start.map((s) => s.state)];
  while (queue.length > 0) {
    const state = queue.shift()!;
    const id = JSON.stringify(state);
    if (seen.has(id) || state.at === 'finished') continue;
    seen.add(id);
    for (const observation of observations(state)) {
      let next: Step<S>;
      try {
        next = decide(state, observation);
      } catch {
        continue;
      }
      found.set(`${state.at}|${observation.kind}|${next.state.at}`, [state.at, observation.kind, next.state.at]);
      queue.push(next.state);
    }
  }
  return [...found.values()];
}

const sorted = (transitions: readonly Transition[]) => transitions.map((t) => t.join(' ')).sort();

/** The diagram docs/RELIABILITY.md shows under `heading`. */
function documented(heading: string): string {
  const doc = readFileSync(new URL('../../docs/RELIABILITY.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf(heading));
  const match = /```mermaid\n([\s\S]*?)\n```/.exec(section);
  return match?.[1] ?? '';
}

describe('write-once protocol', () => {
  const config = { settleWindowMs: 120_000, writeAheadMarker: true };
  const begins = [true, false].map((checkFirst) => ({ kind: 'begin', checkFirst, now: 1_000, leaveBy: 50_000 }) as const);
  const observations = (): writeOnce.Observation[] => [
    ...begins,
    { kind: 'markerRead', lastSentAt: undefined, now: 1_000 },
    { kind: 'markerRead', lastSentAt: 0, now: 1_000 },
    { kind: 'readDone', found: true, now: 1_000 },
    { kind: 'readDone', found: false, now: 1_000 },
    { kind: 'readDone', found: false, now: 500_000 },
    { kind: 'markerWritten', now: 1_000 },
    { kind: 'markerTaken', now: 1_000 },
    { kind: 'sent' },
    ...[true, false].flatMap((unknown) => [true, false].map((alreadyDone) => ({ kind: 'sendFailed', unknown, alreadyDone, now: 2_000 }) as const)),
    { kind: 'markerCleared' },
  ];
  const code = [
    ...explore([{ state: writeOnce.initialState() }], (s, o) => writeOnce.decide(config, s, o), observations),
    ...explore([{ state: writeOnce.initialState() }], (s, o) => writeOnce.decide({ ...config, writeAheadMarker: false }, s, o), observations),
  ];

  it('takes exactly the transitions it declares', () => {
    expect([...new Set(sorted(code))]).toEqual(sorted(writeOnce.TRANSITIONS));
  });

  it('is drawn in docs/RELIABILITY.md as the code declares it', () => {
    expect(documented('### The write-once protocol')).toBe(mermaidStateDiagram('idle', writeOnce.TRANSITIONS));
  });
});

describe('kit-status protocol', () => {
  const observations = (): kit.Observation[] => [
    { kind: 'begin' },
    ...(['claimed', 'completed', 'inProgress'] as const).map((claim) => ({ kind: 'eventClaimed', claim }) as const),
    ...[{ claim: 'claimed' }, { claim: 'stale' }, { claim: 'busy', until: 9 }].map((claim) => ({ kind: 'kitClaimed', claim: claim as kit.KitClaim }) as const),
    ...[{ ok: true }, { ok: false, unknown: true }, { ok: false, unknown: false }].map((result) => ({ kind: 'sent', result: result as kit.SendResult, now: 1 }) as const),
    { kind: 'kitReleased' },
    { kind: 'eventSettled' },
  ];
  const code = explore([{ state: kit.initialState() }], (s, o) => kit.decide({ settleWindowMs: 120_000 }, s, o), observations);

  it('takes exactly the transitions it declares', () => {
    expect(sorted(code)).toEqual(sorted(kit.TRANSITIONS));
  });

  it('is drawn in docs/RELIABILITY.md as the code declares it', () => {
    expect(documented('### The kit-status protocol')).toBe(mermaidStateDiagram('idle', kit.TRANSITIONS));
  });
});

describe('FIFO group protocol', () => {
  const observations = (): group.Observation[] => [
    { kind: 'inspected', dueAt: undefined, now: 1_000 },
    { kind: 'inspected', dueAt: 60_000, now: 1_000 },
    { kind: 'applied' },
    { kind: 'deadLettered' },
    ...[true, false].map((waitsOnDependency) => ({ kind: 'retryLater', waitsOnDependency, delaySeconds: 30, now: 1_000 }) as const),
    { kind: 'unsettled' },
    { kind: 'moved' },
    { kind: 'moveFailed' },
  ];
  const starts = [1, 2, 3].map((size) => group.start(size));
  const code = [true, false].flatMap((holdBackOnFailure) => explore(starts, (s, o) => group.decide({ holdBackOnFailure }, s, o), observations));

  it('takes exactly the transitions it declares', () => {
    expect([...new Set(sorted(code))]).toEqual(sorted(group.TRANSITIONS));
  });

  it('is drawn in docs/RELIABILITY.md as the code declares it', () => {
    expect(documented('### The FIFO group protocol')).toBe(mermaidStateDiagram('inspecting', group.TRANSITIONS));
  });

  it('lets no later control of a card overtake one that must be retried', () => {
    const first = group.decide({ holdBackOnFailure: true }, group.start(3).state, { kind: 'inspected', dueAt: undefined, now: 0 });
    const failed = group.decide({ holdBackOnFailure: true }, first.state, { kind: 'retryLater', waitsOnDependency: false, delaySeconds: 30, now: 0 });
    expect(failed.action).toEqual({ kind: 'finish', end: { failFrom: 0, delay: { from: 1, seconds: 30 } } });
  });
});
