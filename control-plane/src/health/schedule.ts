// One schedule for every probe: a binary min-heap of due times with a single armed timer, so a
// thousand endpoints mean one timer, not a thousand. Cancelled entries are skipped lazily.
// Each firing also runs the entries due within their `slack`: probes started together share the
// process's wake-ups (timers, epoll, socket reads). In a bare undici loop of 1,000 probes a second,
// waking once per probe cost ~16% of a core and 50 ms batches ~7%; the control plane's probing in
// bench/control-plane.ts went from 15.7% to ~10%.
import type { Timers } from '../timers.js';

interface Entry {
  due: number;
  /** How early the entry may run (ms). */
  slack: number;
  seq: number;
  key: string;
}

export class Schedule {
  private heap: Entry[] = [];
  private seq = 0;
  /** key -> seq of its live entry; an entry whose seq differs was cancelled or replaced. */
  private live = new Map<string, number>();
  private timer: unknown = undefined;
  private armedFor = Infinity;
  private closed = false;

  constructor(private readonly timers: Timers, private readonly fire: (key: string) => void) {}

  /**
   * (Re)schedules `key` at absolute time `due`, replacing any earlier entry for it. It may run up
   * to `slackMs` early, with an entry that is due then.
   */
  at(key: string, due: number, slackMs = 0): void {
    if (this.closed) return;
    const entry = { due, slack: slackMs, seq: ++this.seq, key };
    this.live.set(key, entry.seq);
    this.push(entry);
    if (due < this.armedFor) this.arm();
  }

  cancel(key: string): void {
    this.live.delete(key);
  }

  has(key: string): boolean {
    return this.live.has(key);
  }

  get size(): number {
    return this.live.size;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.heap = [];
    this.live.clear();
  }

  private arm(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    this.dropStale();
    const head = this.heap[0];
    if (!head || this.closed) return;
    this.armedFor = head.due;
    this.timer = this.timers.setTimeout(() => this.run(), Math.max(0, head.due - this.timers.now()));
  }

  private run(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = this.timers.now();
    for (;;) {
      this.dropStale();
      const head = this.heap[0];
      if (!head || head.due - head.slack > now || this.closed) break;
      this.pop();
      this.live.delete(head.key);
      this.fire(head.key);
    }
    if (!this.closed && this.timer === undefined) this.arm();
  }

  private dropStale(): void {
    while (this.heap.length > 0 && this.live.get(this.heap[0]!.key) !== this.heap[0]!.seq) this.pop();
  }

  private less(a: Entry, b: Entry): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
