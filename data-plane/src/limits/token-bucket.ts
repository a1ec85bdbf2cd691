// Token bucket for `rateLimit` (Envoy local rate limit; Traefik's in-memory limiter). Refilled
// lazily from the clock reading passed in, so it needs no timer and tests control time.
export class TokenBucket {
  private tokens: number;
  private stamp: number;

  constructor(
    private ratePerMs: number,
    private burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.stamp = now;
  }

  /** New rate and size (a new share); keeps the tokens it has, up to the new size. */
  reconfigure(ratePerSecond: number, burst: number, now: number): void {
    this.refill(now);
    this.ratePerMs = ratePerSecond / 1000;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, burst);
  }

  private refill(now: number): void {
    if (now > this.stamp) {
      this.tokens = Math.min(this.burst, this.tokens + (now - this.stamp) * this.ratePerMs);
      this.stamp = now;
    }
  }

  available(now: number): boolean {
    this.refill(now);
    return this.tokens >= 1;
  }

  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until one token is available. */
  waitMs(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) return 0;
    return this.ratePerMs > 0 ? (1 - this.tokens) / this.ratePerMs : Infinity;
  }
}
