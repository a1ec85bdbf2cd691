// The upstream timeouts of every in-flight forward (until response headers, between body chunks)
// on one timer. undici armed two "fast timers" per request for them (headers, then body): each a
// new object kept in its timer array until the next 500 ms tick, so they outlived two scavenges and
// were promoted, ~1 MB of old space a second at 6k req/s and a 8-9 ms mark-compact every ~9 s;
// with undici's timeouts off a proxied request cost 1.5-3 µs less CPU (bench notes, issue 2).
// Here an entry is a deadline number on an object that already exists (the forward handler),
// linked into an intrusive list: arming, extending and removing allocate nothing. The timer is set
// for the earliest deadline; a deadline that moved later only makes a sweep find nothing due.
import { performance } from 'node:perf_hooks';

export interface Expiring {
  /** performance.now() milliseconds; Infinity while nothing is due (e.g. paused by the client). */
  deadline: number;
  expiringPrev: Expiring | undefined;
  expiringNext: Expiring | undefined;
  /** Called once, after the entry left the list, when `deadline` has passed. */
  expire(): void;
}

export class Deadlines {
  private head: Expiring | undefined = undefined;
  private timer: NodeJS.Timeout | undefined = undefined;
  /** When the armed timer fires (Infinity: none armed). */
  private armedAt = Infinity;
  private readonly onTimer = (): void => this.sweep();

  add(e: Expiring): void {
    e.expiringPrev = undefined;
    e.expiringNext = this.head;
    if (this.head !== undefined) this.head.expiringPrev = e;
    this.head = e;
    this.due(e.deadline);
  }

  /** Idempotent: an entry that expired or was never added is left alone. */
  remove(e: Expiring): void {
    const { expiringPrev: prev, expiringNext: next } = e;
    if (prev !== undefined) prev.expiringNext = next;
    else if (this.head === e) this.head = next;
    else return;
    if (next !== undefined) next.expiringPrev = prev;
    e.expiringPrev = undefined;
    e.expiringNext = undefined;
  }

  /** Call when an entry's deadline moved earlier than it was (a later one needs nothing). */
  due(at: number): void {
    if (at >= this.armedAt || at === Infinity) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.armedAt = at;
    // Timers count whole milliseconds from the loop's clock: round up, and a sweep that comes a
    // fraction early finds the entry not yet due and re-arms for the rest.
    this.timer = setTimeout(this.onTimer, Math.max(1, Math.ceil(at - performance.now())));
    // In-flight requests keep the process alive themselves; a deadline must not.
    this.timer.unref();
  }

  private sweep(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = performance.now();
    let expired: Expiring[] | undefined;
    let next = Infinity;
    for (let e = this.head; e !== undefined; e = e.expiringNext) {
      if (e.deadline <= now) (expired ??= []).push(e);
      else if (e.deadline < next) next = e.deadline;
    }
    // Expiring one entry may end others (an aborted socket): unlink them all before calling out.
    if (expired !== undefined) {
      for (const e of expired) this.remove(e);
      for (const e of expired) e.expire();
    }
    this.due(next);
  }
}

/** One list for the process: every forward runs on its one event loop. */
export const upstreamDeadlines = new Deadlines();
