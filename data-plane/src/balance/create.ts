// Balancer name -> picker, one file per policy.
import type { CompiledEndpoint } from '../state/tables.js';
import { FirstSuccessPicker } from './first-success.js';
import { IpHashPicker } from './ip-hash.js';
import { LeastLatencyPicker } from './least-latency.js';
import { LeastRequestPicker } from './least-request.js';
import type { Picker } from './picker.js';
import { RoundRobinPicker } from './round-robin.js';
import { WeightedPicker } from './weighted.js';

export function createPicker(balancer: string, endpoints: readonly CompiledEndpoint[], random: () => number): Picker {
  switch (balancer) {
    case 'weighted':
      return new WeightedPicker(endpoints);
    case 'least-latency':
      return new LeastLatencyPicker(endpoints, random);
    case 'least-request':
      return new LeastRequestPicker(endpoints, random);
    case 'ip-hash':
      return new IpHashPicker(endpoints);
    case 'first-success':
      return new FirstSuccessPicker(endpoints);
    default:
      return new RoundRobinPicker(endpoints);
  }
}
