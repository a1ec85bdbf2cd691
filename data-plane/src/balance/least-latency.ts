// Least latency (no direct Envoy equivalent; closest to Pingora's weighted selection over a
// latency metric): the usable endpoint with the lowest estimated latency. Endpoints within 10%
// (or 1 ms) of the best count as a tie and share traffic at random, so equal endpoints do not herd.
//
// Probes and requests disagree: a probe can catch a cold connection or a stalled event loop, a
// /health handler is cheaper than real work, a loaded machine slows every probe. When the best
// endpoint's fresh observations are well off what its own probe says, in either direction, the
// other endpoints' probe-based (or old) estimates are no better, so each one not measured for
// REMEASURE_MS gets one request to measure it, and that sample replaces its stale estimate
// (latency.ts): a stalled or inflated probe must not leave a fast endpoint idle, while an 80 ms
// slower one takes everything, until the averages recover. While probes agree with requests, no
// request is spent on a slower endpoint.
import { usable, type Exclude, type PickContext, type Picker } from './picker.js';
import type { CompiledEndpoint } from '../state/tables.js';

const TIE_RATIO = 1.1;
const TIE_MS = 1;
/**
 * Observed latency more than this (ms) off the probe's means probes misjudge what requests cost.
 * Not a multiple of the probe: a loaded machine inflates every probe, the leader's too. With
 * `probe × 2 + 10` a 40 ms leader probe hid the leader's 80 ms requests; with an upper bound only,
 * 190 ms probes on both endpoints hid that the leader's requests took 85 ms, and the unmeasured
 * fast endpoint (estimated at its 190 ms probe) got nothing for 5 s.
 */
const PROBE_SLACK_MS = 10;

export class LeastLatencyPicker implements Picker {
  private readonly ties: CompiledEndpoint[] = [];
  /** Reused by every pick (picks are synchronous): no allocation per request. */
  private readonly estimates: Float64Array;

  constructor(
    private readonly endpoints: readonly CompiledEndpoint[],
    private readonly random: () => number,
  ) {
    this.estimates = new Float64Array(endpoints.length);
  }

  pick(ctx: PickContext, exclude?: Exclude): CompiledEndpoint | undefined {
    let best = Infinity;
    let bestAt = -1;
    const estimates = this.estimates;
    for (let i = 0; i < this.endpoints.length; i++) {
      const e = this.endpoints[i]!;
      if (!usable(e, ctx.now) || exclude?.(e)) {
        estimates[i] = Infinity;
        continue;
      }
      const est = e.runtime.latency.latency(e.latencyMs, ctx.now);
      estimates[i] = est;
      if (est < best) {
        best = est;
        bestAt = i;
      }
    }
    if (bestAt < 0) return undefined;
    const limit = Math.max(best * TIE_RATIO, best + TIE_MS);
    const leader = this.endpoints[bestAt]!;
    if (Math.abs(best - leader.latencyMs) > PROBE_SLACK_MS && leader.runtime.latency.measured(ctx.now)) {
      for (let i = 0; i < this.endpoints.length; i++) {
        const e = this.endpoints[i]!;
        if (estimates[i]! > limit && estimates[i] !== Infinity && e.runtime.latency.claimTrial(ctx.now)) return e;
      }
    }
    const ties = this.ties;
    ties.length = 0;
    for (let i = 0; i < this.endpoints.length; i++) if (estimates[i]! <= limit) ties.push(this.endpoints[i]!);
    return ties.length === 1 ? ties[0] : ties[Math.floor(this.random() * ties.length)];
  }
}
