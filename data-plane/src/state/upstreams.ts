// Per-endpoint runtime state that must outlive a snapshot swap: the undici connection pool and
// the counters balancers and outlier detection read. Keyed by cluster, URL and connect timeout,
// so an unchanged endpoint keeps its warm connections across versions.
import { Pool } from 'undici';
import { LatencyEstimate } from '../balance/latency.js';
import { TokenBucket } from '../limits/token-bucket.js';

export class EndpointRuntime {
  readonly key: string;
  readonly pool: Pool;
  /** Requests currently in flight from this process. */
  inFlight = 0;
  consecutiveFailures = 0;
  /** Clock time until which outlier detection keeps the endpoint out; 0 when not ejected. */
  ejectedUntil = 0;
  /** Observed request latency, for least-latency and least-request. */
  readonly latency = new LatencyEstimate();
  /** This plane's share of the endpoint's rateLimit; undefined when it has none. */
  bucket: TokenBucket | undefined = undefined;

  constructor(key: string, origin: string, connectTimeoutMs: number) {
    this.key = key;
    this.pool = new Pool(origin, {
      connect: { timeout: connectTimeoutMs },
      // Below Node's default 5 s server keep-alive, so the pool drops idle sockets first.
      keepAliveTimeout: 4_000,
      keepAliveTimeoutThreshold: 1_000,
    });
  }
}

/** Applies this plane's share of an endpoint's rate limit (undefined: none). */
export function configureRateLimit(runtime: EndpointRuntime, share: { rps: number; burst: number } | undefined, now: number): void {
  if (share === undefined) runtime.bucket = undefined;
  else if (runtime.bucket === undefined) runtime.bucket = new TokenBucket(share.rps / 1000, share.burst, now);
  else runtime.bucket.reconfigure(share.rps, share.burst, now);
}

export class UpstreamRegistry {
  private runtimes = new Map<string, EndpointRuntime>();

  /** Runtimes for the next snapshot; call `retire` with the set it used afterwards. */
  acquire(cluster: string, url: string, connectTimeoutMs: number): EndpointRuntime {
    const key = `${cluster}\u0000${url}\u0000${connectTimeoutMs}`;
    let runtime = this.runtimes.get(key);
    if (!runtime) {
      runtime = new EndpointRuntime(key, new URL(url).origin, connectTimeoutMs);
      this.runtimes.set(key, runtime);
    }
    return runtime;
  }

  /** Closes pools no longer referenced; in-flight requests on them finish first. */
  retire(inUse: ReadonlySet<EndpointRuntime>): void {
    for (const [key, runtime] of this.runtimes) {
      if (inUse.has(runtime)) continue;
      this.runtimes.delete(key);
      runtime.pool.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const all = [...this.runtimes.values()];
    this.runtimes.clear();
    await Promise.all(all.map((r) => r.pool.close().catch(() => r.pool.destroy())));
  }

  async destroy(): Promise<void> {
    const all = [...this.runtimes.values()];
    this.runtimes.clear();
    await Promise.all(all.map((r) => r.pool.destroy().catch(() => undefined)));
  }
}
