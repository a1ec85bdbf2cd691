// Balancer name -> picker. Policies not built yet fall back to round robin (see issue notes).
import type { CompiledEndpoint } from '../state/tables.js';
import type { Picker } from './picker.js';
import { RoundRobinPicker } from './round-robin.js';
import { WeightedPicker } from './weighted.js';

export function createPicker(balancer: string, endpoints: readonly CompiledEndpoint[], _random: () => number): Picker {
  switch (balancer) {
    case 'weighted':
      return new WeightedPicker(endpoints);
    default:
      return new RoundRobinPicker(endpoints);
  }
}
