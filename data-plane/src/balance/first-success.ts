// First success (no Envoy equivalent; the single-endpoint router's "first backend that answers
// 200"): endpoints in configuration order. The handler tries the next one while the answer is
// not 2xx; a remembered winner (route cache) is tried first via `preferred`.
import { usable, type Exclude, type PickContext, type Picker } from './picker.js';
import type { CompiledEndpoint } from '../state/tables.js';

export class FirstSuccessPicker implements Picker {
  constructor(private readonly endpoints: readonly CompiledEndpoint[]) {}

  pick(ctx: PickContext, exclude?: Exclude): CompiledEndpoint | undefined {
    for (const e of this.endpoints) if (usable(e, ctx.now) && !exclude?.(e)) return e;
    return undefined;
  }
}
