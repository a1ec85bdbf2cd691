// Table-test fixtures: compiled endpoints without a network (their pools never connect).
import type { SnapshotEndpoint } from '../../../shared/src/snapshot/types.js';
import { CompiledEndpoint } from '../../../data-plane/src/state/tables.js';
import { EndpointRuntime } from '../../../data-plane/src/state/upstreams.js';

export interface EndpointSpec {
  name: string;
  weight?: number;
  latencyMs?: number;
  maxRequests?: number;
  rateLimit?: { rps: number; burst: number };
}

export function endpoints(specs: EndpointSpec[], fleet = { self: 'dp', planes: [] as string[] }, now = 0): CompiledEndpoint[] {
  return specs.map((s, i) => {
    const e: SnapshotEndpoint = {
      name: s.name,
      url: `http://127.0.0.1:${10_000 + i}`,
      weight: s.weight ?? 1,
      status: 'HEALTHY',
      latencyMs: s.latencyMs ?? 0,
      lastCheck: '',
      ...(s.maxRequests !== undefined ? { maxRequests: s.maxRequests } : {}),
      ...(s.rateLimit ? { rateLimit: s.rateLimit } : {}),
    };
    return new CompiledEndpoint(e, new EndpointRuntime(s.name, e.url, 1000), fleet, now);
  });
}

/** Deterministic randomness: a linear congruential sequence in [0, 1). */
export function seededRandom(seed = 42): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function counts(names: Array<string | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) if (n !== undefined) out[n] = (out[n] ?? 0) + 1;
  return out;
}
