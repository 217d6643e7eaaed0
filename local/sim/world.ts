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
  /** Whose code runs when this fires: an invocation or a poller (its instance's clock skew applies); 0 for the platforms. */
  owner: number;
  fire: () => void;
}

/** An invocation or a poller: its instance's clock skew, and whether it still runs (a killed Lambda's waits never end). */
interface Owner {
  skewMs: number;
  alive: () => boolean;
}

/** The platforms (DCMS, Card91, DynamoDB, SQS): they act whatever happens to their callers. */
export const PLATFORM = 0;

/** Epoch ms the virtual timeline starts at (any fixed instant works; this one reads well in traces). */
export const EPOCH = Date.UTC(2026, 11, 6, 0, 0, 0);

export class World {
  now = EPOCH;
  readonly random: Random;
  private readonly heap: Scheduled[] = [];
  private seq = 0;
  private owner = PLATFORM;
  private readonly owners = new Map<number, Owner>([[PLATFORM, { skewMs: 0, alive: () => true }]]);
  private nextOwner = 1;
  readonly trace: string[] = [];

  constructor(
    seed: number,
    private readonly tracing = false,
  ) {
    this.random = new Random(seed);
  }

  /** A new owner of code: its clock runs `skewMs` ahead of (or behind) the timeline; its waits end only while `alive`. */
  newOwner(skewMs: number, alive: () => boolean = () => true): number {
    const id = this.nextOwner++;
    this.owners.set(id, { skewMs, alive });
    return id;
  }

  /** What `Date.now()` answers for the code running now. */
  clock(): number {
    return this.now + (this.owners.get(this.owner)?.skewMs ?? 0);
  }

  /**
   * A call to a platform: `handle` runs on the platform's side after half the latency, whatever
   * becomes of the caller, and its answer (or error) reaches the caller after the other half,
   * if the caller still runs then.
   */
  remote<T>(latencyMs: number, handle: () => T): Promise<T> {
    const caller = this.owner;
    return new Promise<T>((resolve, reject) => {
      this.schedule(latencyMs / 2, PLATFORM, () => {
        let answer: () => void;
        try {
          const value = handle();
          answer = () => resolve(value);
        } catch (error) {
          answer = () => reject(error);
        }
        this.schedule(latencyMs / 2, caller, answer);
      });
    });
  }

  log(line: string): void {
    if (this.tracing) this.trace.push(`${((this.now - EPOCH) / 1_000).toFixed(3).padStart(9)}s  ${line}`);
  }

  /** Runs `fire` `delayMs` from now, as `owner`, unless that owner has stopped by then. */
  schedule(delayMs: number, owner: number, fire: () => void): void {
    this.push({ at: this.now + Math.max(0, delayMs), seq: this.seq++, owner, fire });
  }

  /** A wait of the code running now: resolves after `delayMs` of virtual time, as the same owner. */
  sleep(delayMs: number): Promise<void> {
    const owner = this.owner;
    return new Promise((resolve) => this.schedule(delayMs, owner, resolve));
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
      if (!(this.owners.get(next.owner)?.alive() ?? false)) continue;
      this.owner = next.owner;
      next.fire();
      // Let the continuation run to its next wait before anything else happens.
      await drainMicrotasks();
      this.owner = PLATFORM;
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
