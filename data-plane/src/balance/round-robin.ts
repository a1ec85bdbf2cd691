// Round robin (Envoy ROUND_ROBIN, Pingora RoundRobin): each pick starts one past the last.
import { usable, type Exclude, type PickContext, type Picker } from './picker.js';
import type { CompiledEndpoint } from '../state/tables.js';

export class RoundRobinPicker implements Picker {
  private next = 0;
  constructor(private readonly endpoints: readonly CompiledEndpoint[]) {}

  pick(ctx: PickContext, exclude?: Exclude): CompiledEndpoint | undefined {
    const list = this.endpoints;
    const n = list.length;
    for (let i = 0; i < n; i++) {
      const index = (this.next + i) % n;
      const e = list[index]!;
      if (usable(e, ctx.now) && !exclude?.(e)) {
        this.next = index + 1;
        return e;
      }
    }
    return undefined;
  }
}
