// One schedule for every probe: a binary min-heap of due times with a single armed timer, so a
// thousand endpoints mean one timer, not a thousand. Each key has one entry, moved in the heap when
// it is rescheduled and taken out when it fires or is cancelled.
// Each firing also runs the entries due within their `slack`: probes started together share the
// process's wake-ups (timers, epoll, socket reads). In a bare undici loop of 1,000 probes a second,
// waking once per probe cost ~16% of a core and 50 ms batches ~7%; the control plane's probing in
// bench/control-plane.ts went from 15.7% to ~10%.
import type { Timers } from '../timers.js';

interface Entry {
  key: string;
  due: number;
  /** How early the entry may run (ms). */
  slack: number;
  /** Order of scheduling: entries due at the same time run first-scheduled first. */
  seq: number;
  /** Position in the heap; -1 while not scheduled. */
  index: number;
}

export class Schedule {
  private heap: Entry[] = [];
  /**
   * One entry per key, updated in place on every reschedule: a thousand probes a second allocate
   * nothing here, and the heap holds exactly the scheduled keys (no stale entries to skip).
   */
  private entries = new Map<string, Entry>();
  private seq = 0;
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
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { key, due, slack: slackMs, seq: 0, index: -1 };
      this.entries.set(key, entry);
    }
    entry.due = due;
    entry.slack = slackMs;
    entry.seq = ++this.seq;
    if (entry.index === -1) {
      entry.index = this.heap.length;
      this.heap.push(entry);
    }
    this.siftDown(this.siftUp(entry.index));
    if (due < this.armedFor) this.arm();
  }

  cancel(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    if (entry.index !== -1) this.removeAt(entry.index);
  }

  has(key: string): boolean {
    return (this.entries.get(key)?.index ?? -1) !== -1;
  }

  get size(): number {
    return this.heap.length;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.heap = [];
    this.entries.clear();
  }

  private arm(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
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
      const head = this.heap[0];
      if (!head || head.due - head.slack > now || this.closed) break;
      this.removeAt(0);
      this.fire(head.key);
    }
    if (!this.closed && this.timer === undefined) this.arm();
  }

  private less(a: Entry, b: Entry): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private place(entry: Entry, i: number): void {
    this.heap[i] = entry;
    entry.index = i;
  }

  private removeAt(i: number): void {
    const h = this.heap;
    const removed = h[i]!;
    const last = h.pop()!;
    removed.index = -1;
    if (i === h.length) return;
    this.place(last, i);
    this.siftDown(this.siftUp(i));
  }

  /** Moves the entry at `i` towards the root while it is earlier than its parent; returns where it ends. */
  private siftUp(i: number): number {
    const h = this.heap;
    const entry = h[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(entry, h[parent]!)) break;
      this.place(h[parent]!, i);
      i = parent;
    }
    this.place(entry, i);
    return i;
  }

  private siftDown(i: number): void {
    const h = this.heap;
    const entry = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = l < h.length && this.less(h[l]!, entry) ? l : -1;
      if (r < h.length && this.less(h[r]!, m === -1 ? entry : h[l]!)) m = r;
      if (m === -1) break;
      this.place(h[m]!, i);
      i = m;
    }
    this.place(entry, i);
  }
}
