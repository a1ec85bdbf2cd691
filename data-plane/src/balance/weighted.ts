// Smooth weighted round robin (NGINX's upstream algorithm; Envoy's weighted ROUND_ROBIN): each
// pick adds every weight to a running score and takes the highest, so a 5:1:1 split interleaves
// as a a b a c a a instead of bursting.
import { usable, type Exclude, type PickContext, type Picker } from './picker.js';
import type { CompiledEndpoint } from '../state/tables.js';

export class WeightedPicker implements Picker {
  private readonly current: Float64Array;
  constructor(private readonly endpoints: readonly CompiledEndpoint[]) {
    this.current = new Float64Array(endpoints.length);
  }

  pick(ctx: PickContext, exclude?: Exclude): CompiledEndpoint | undefined {
    const list = this.endpoints;
    let best = -1;
    let total = 0;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (!usable(e, ctx.now) || exclude?.(e)) continue;
      this.current[i]! += e.weight;
      total += e.weight;
      if (best === -1 || this.current[i]! > this.current[best]!) best = i;
    }
    if (best === -1) return undefined;
    this.current[best]! -= total;
    return list[best];
  }
}
