/**
 * Virtual time for the fleet simulator. Every wait of the simulated platforms (a DCMS answer, a
 * DynamoDB round trip, an SQS poll, a Lambda timeout) is an event on one timeline; the world runs
 * them one at a time, in time order, and lets each one's continuation (the real worker code, up to
 * its next wait) run to completion before the next. Nothing depends on the wall clock, so one seed
 * always gives the same run. `Date.now()` answers the virtual time of the instance whose code is
 * running, with that instance's clock skew.
 */

/** A small, fast, seedable generator (mulberry32): every random choice of a run comes from it. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

interface Scheduled {
  at: number;
  seq: number;
  /** The instance whose code runs when this fires (its clock skew applies); -1 for the platforms. */
  owner: number;
  /** A cancelled invocation's waits never fire: its code stops at that await, as a killed Lambda's does. */
  alive: () => boolean;
  fire: () => void;
}

/** Epoch ms the virtual timeline starts at (any fixed instant works; this one reads well in traces). */
export const EPOCH = Date.UTC(2026, 11, 6, 0, 0, 0);

export class World {
  now = EPOCH;
  readonly random: Random;
  private readonly heap: Scheduled[] = [];
  private seq = 0;
  private owner = -1;
  private readonly skews = new Map<number, number>();
  readonly trace: string[] = [];

  constructor(
    seed: number,
    private readonly tracing = false,
  ) {
    this.random = new Random(seed);
  }

  /** This instance's clock runs `skewMs` ahead of (or behind) the timeline. */
  setSkew(owner: number, skewMs: number): void {
    this.skews.set(owner, skewMs);
  }

  /** What `Date.now()` answers for the code running now. */
  clock(): number {
    return this.now + (this.skews.get(this.owner) ?? 0);
  }

  log(line: string): void {
    if (this.tracing) this.trace.push(`${((this.now - EPOCH) / 1_000).toFixed(3).padStart(9)}s  ${line}`);
  }

  /** Runs `fire` `delayMs` from now, as `owner`, unless `alive` says its invocation was killed by then. */
  schedule(delayMs: number, owner: number, fire: () => void, alive: () => boolean = () => true): void {
    this.push({ at: this.now + Math.max(0, delayMs), seq: this.seq++, owner, alive, fire });
  }

  /** A wait of the code running now: resolves after `delayMs` of virtual time, as the same owner. */
  sleep(delayMs: number, alive?: () => boolean): Promise<void> {
    const owner = this.owner;
    return new Promise((resolve) => this.schedule(delayMs, owner, resolve, alive));
  }

  get currentOwner(): number {
    return this.owner;
  }

  /** Runs events in time order until none is left or the timeline passes `until`. */
  async run(until: number, stop: () => boolean = () => false): Promise<void> {
    while (this.heap.length > 0 && !stop()) {
      const next = this.pop();
      if (next.at > until) {
        this.push(next);
        this.now = until;
        return;
      }
      this.now = next.at;
      if (!next.alive()) continue;
      this.owner = next.owner;
      next.fire();
      // Let the continuation run to its next wait before anything else happens.
      await drainMicrotasks();
      this.owner = -1;
    }
  }

  get pending(): number {
    return this.heap.length;
  }

  private push(item: Scheduled): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (before(heap[parent]!, item)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = item;
  }

  private pop(): Scheduled {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
        if (before(last, heap[child]!)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

const before = (a: Scheduled, b: Scheduled): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** Resolves once every queued microtask (and the ones they queue) has run. */
function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
