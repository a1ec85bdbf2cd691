// Measuring load, apart from picking it (Linkerd/Traefik): per-endpoint observed latency as a
// time-decaying EWMA, and Linkerd's peak-EWMA cost for least-request. Time is passed in.

/** Observations older than this weigh ~37% (e^-1); an idle estimate drifts back to the probe's. */
const DECAY_MS = 10_000;
/** How long an observation counts as fresh, and how often an endpoint may get a trial request. */
export const REMEASURE_MS = 5_000;
/** The most an older estimate weighs against a new sample: recent samples dominate. */
const KEEP = 0.7;

export class LatencyEstimate {
  /** EWMA of observed request latency (ms); 0 until the first observation. */
  private observed = 0;
  private stamp = 0;
  /** Peak-EWMA cost (ms): jumps up at once on a slow response, decays down slowly. */
  private peak = 0;
  private peakStamp = 0;
  /** When a request was last sent here only to measure it. */
  private trialAt = -Infinity;

  observe(latencyMs: number, now: number): void {
    // A trial sent since the last sample (trialAt > stamp) measures afresh: its sample replaces
    // the stale estimate instead of blending with it.
    if (this.observed === 0 || this.trialAt > this.stamp) {
      this.observed = latencyMs;
    } else {
      const w = Math.exp(-Math.max(0, now - this.stamp) / DECAY_MS);
      // A burst of samples converges within a few requests.
      const keep = Math.min(w, KEEP);
      this.observed = this.observed * keep + latencyMs * (1 - keep);
    }
    this.stamp = now;
    if (latencyMs > this.peak) {
      this.peak = latencyMs;
    } else {
      const w = Math.exp(-Math.max(0, now - this.peakStamp) / DECAY_MS);
      this.peak = this.peak * w + latencyMs * (1 - w);
    }
    this.peakStamp = now;
  }

  /** True when observed within REMEASURE_MS: an estimate worth comparing others' against. */
  measured(now: number): boolean {
    return this.observed !== 0 && now - this.stamp < REMEASURE_MS;
  }

  /**
   * True, at most once per REMEASURE_MS, when nothing has been observed here for that long: the
   * caller sends this endpoint one request to measure it.
   */
  claimTrial(now: number): boolean {
    const last = this.observed === 0 ? this.trialAt : Math.max(this.stamp, this.trialAt);
    if (now - last < REMEASURE_MS) return false;
    this.trialAt = now;
    return true;
  }

  /** Probe latency refined by observed latency, the observation fading as it ages. */
  latency(probeMs: number, now: number): number {
    if (this.observed === 0) return probeMs;
    const w = Math.exp(-Math.max(0, now - this.stamp) / DECAY_MS);
    return probeMs > 0 ? this.observed * w + probeMs * (1 - w) : this.observed;
  }

  /** Peak-EWMA cost; `fallback` until measured so new endpoints get tried. */
  cost(fallback: number, now: number): number {
    if (this.peak === 0) return fallback;
    const w = Math.exp(-Math.max(0, now - this.peakStamp) / DECAY_MS);
    return this.peak * w + fallback * (1 - w);
  }
}
