// Fleet-wide limits without a Redis round trip per request: the control plane lists the data
// planes it serves in every snapshot, and each takes an equal share of every endpoint's limit.
// The shares add up to the limit exactly (remainders go to the first planes in id order), so the
// fleet never exceeds it; the price is that a plane cannot borrow an idle peer's share, and a
// plane not (yet) listed takes a share as if it were one more plane. docs/limits.md has more.

/** This plane's part of `limit` among `planes` (sorted ids); integer for concurrency caps. */
export function integerShare(limit: number, planes: readonly string[], self: string): number {
  const n = planes.length;
  if (n <= 1) return planes.length === 1 && planes[0] !== self ? Math.floor(limit / 2) : limit;
  const index = planes.indexOf(self);
  if (index === -1) return Math.floor(limit / (n + 1));
  const base = Math.floor(limit / n);
  return base + (index < limit % n ? 1 : 0);
}

/** This plane's part of a rate (tokens per second): an even split, not rounded. */
export function rateShare(rate: number, planes: readonly string[], self: string): number {
  const n = planes.length;
  if (n === 0) return rate;
  return planes.includes(self) ? rate / n : rate / (n + 1);
}
