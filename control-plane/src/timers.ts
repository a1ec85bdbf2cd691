// Time as an argument: runners take a Timers so unit tests drive them with a fake clock.
import { performance } from 'node:perf_hooks';

export interface Timers {
  /** Milliseconds since the epoch, with sub-millisecond precision where available. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

// Read once: the getter calls into the runtime, and now() runs several times per probe.
const timeOrigin = performance.timeOrigin;

export const realTimers: Timers = {
  now: () => timeOrigin + performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A manual clock for tests: timers fire only when `advance` passes their due time. */
export class FakeTimers implements Timers {
  private time: number;
  private seq = 0;
  private readonly pending = new Map<number, { due: number; fn: () => void }>();

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { due: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Moves the clock forward, firing due timers in order (including ones they schedule). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [number, { due: number; fn: () => void }] | undefined;
      for (const entry of this.pending) if (entry[1].due <= end && (!next || entry[1].due < next[1].due)) next = entry;
      if (!next) break;
      this.pending.delete(next[0]);
      this.time = Math.max(this.time, next[1].due);
      next[1].fn();
    }
    this.time = end;
  }

  get size(): number {
    return this.pending.size;
  }
}
