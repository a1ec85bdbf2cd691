// IP hash (Envoy RING_HASH, Pingora's Ketama): the client IP is hashed onto a ring of virtual
// nodes, 160 per endpoint (scaled by weight). Removing or adding one endpoint moves only the
// keys of its own arcs (~1/N of clients); an unusable endpoint fails over to the next on the ring.
import { usable, type Exclude, type PickContext, type Picker } from './picker.js';
import type { CompiledEndpoint } from '../state/tables.js';

const VNODES_PER_WEIGHT = 160;

/** FNV-1a, 32 bit: fast, and good enough spread for a ring of a few thousand points. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche (murmur3 fmix32): FNV alone clusters similar strings such as IPs.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class IpHashPicker implements Picker {
  private readonly points: Uint32Array;
  private readonly owners: CompiledEndpoint[];

  constructor(endpoints: readonly CompiledEndpoint[]) {
    const ring: Array<[number, CompiledEndpoint]> = [];
    for (const e of endpoints) {
      // Keyed by name, not list position: the ring does not shift when another endpoint goes.
      const count = VNODES_PER_WEIGHT * Math.max(1, e.weight);
      for (let v = 0; v < count; v++) ring.push([fnv1a(`${e.name}#${v}`), e]);
    }
    ring.sort((a, b) => a[0] - b[0]);
    this.points = Uint32Array.from(ring, (r) => r[0]);
    this.owners = ring.map((r) => r[1]);
  }

  pick(ctx: PickContext, exclude?: Exclude): CompiledEndpoint | undefined {
    const n = this.points.length;
    if (n === 0) return undefined;
    const start = lowerBound(this.points, fnv1a(ctx.clientIp)) % n;
    const seen = new Set<CompiledEndpoint>();
    for (let k = 0; k < n; k++) {
      const e = this.owners[(start + k) % n]!;
      if (seen.has(e)) continue;
      if (usable(e, ctx.now) && !exclude?.(e)) return e;
      seen.add(e);
      if (seen.size === this.owners.length) break;
    }
    return undefined;
  }
}

function lowerBound(points: Uint32Array, key: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
