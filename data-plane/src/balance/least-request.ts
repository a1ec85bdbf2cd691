// Least request (Envoy LEAST_REQUEST with choice_count 2; Linkerd's P2C + peak EWMA): two random
// usable endpoints, the one with the lower (in-flight + 1) × peak-EWMA latency wins.
import { usable, type Exclude, type PickContext, type Picker } from './picker.js';
import type { CompiledEndpoint } from '../state/tables.js';

/** Cost assumed for an endpoint never measured (ms): low enough that it gets tried. */
const UNMEASURED_MS = 1;

export class LeastRequestPicker implements Picker {
  private readonly pool: CompiledEndpoint[] = [];

  constructor(
    private readonly endpoints: readonly CompiledEndpoint[],
    private readonly random: () => number,
  ) {}

  pick(ctx: PickContext, exclude?: Exclude): CompiledEndpoint | undefined {
    const pool = this.pool;
    pool.length = 0;
    for (const e of this.endpoints) if (usable(e, ctx.now) && !exclude?.(e)) pool.push(e);
    const n = pool.length;
    if (n <= 1) return pool[0];
    const i = Math.floor(this.random() * n);
    let j = Math.floor(this.random() * (n - 1));
    if (j >= i) j++;
    const a = pool[i]!;
    const b = pool[j]!;
    return score(a, ctx.now) <= score(b, ctx.now) ? a : b;
  }
}

function score(e: CompiledEndpoint, now: number): number {
  return (e.runtime.inFlight + 1) * e.runtime.latency.cost(e.latencyMs > 0 ? e.latencyMs : UNMEASURED_MS, now);
}
