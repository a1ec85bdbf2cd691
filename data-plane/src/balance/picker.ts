// The one interface every balancing policy implements (Pingora's selection traits). A picker is
// built per snapshot over an immutable endpoint list; pick() never awaits and never does I/O.
import type { CompiledEndpoint } from '../state/tables.js';

export interface PickContext {
  /** Clock reading for this request (ms), passed in so policies stay deterministic in tests. */
  now: number;
  clientIp: string;
}

export type Exclude = (endpoint: CompiledEndpoint) => boolean;

export interface Picker {
  /** An endpoint that is usable now and not excluded, or undefined when none is. */
  pick(ctx: PickContext, exclude?: Exclude): CompiledEndpoint | undefined;
}

/** Usable now: not ejected by outlier detection, under its concurrency cap, with a token left. */
export function usable(endpoint: CompiledEndpoint, now: number): boolean {
  const rt = endpoint.runtime;
  if (rt.ejectedUntil > now || rt.inFlight >= endpoint.maxRequests) return false;
  return rt.bucket === undefined || rt.bucket.available(now);
}
