// Least latency (no direct Envoy equivalent; closest to Pingora's weighted selection over a
// latency metric): the usable endpoint with the lowest estimated latency. Endpoints within 10%
// (or 1 ms) of the best count as a tie and share traffic at random, so equal endpoints do not herd.
// When the best estimate rests on fresh observations, an endpoint not measured for a while gets one
// request (LatencyEstimate.claimTrial): its estimate is only a probe's or an old response's.
import { usable, type Exclude, type PickContext, type Picker } from './picker.js';
import type { CompiledEndpoint } from '../state/tables.js';

const TIE_RATIO = 1.1;
const TIE_MS = 1;

export class LeastLatencyPicker implements Picker {
  private readonly ties: CompiledEndpoint[] = [];

  constructor(
    private readonly endpoints: readonly CompiledEndpoint[],
    private readonly random: () => number,
  ) {}

  pick(ctx: PickContext, exclude?: Exclude): CompiledEndpoint | undefined {
    let best = Infinity;
    let bestAt = -1;
    const estimates = new Float64Array(this.endpoints.length);
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
    if (this.endpoints[bestAt]!.runtime.latency.measured(ctx.now)) {
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
