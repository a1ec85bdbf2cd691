// The snapshot runner owns the current configuration and health view and produces versions:
// a new version at once for a configuration change, within `flipDelayMs` for a status flip
// (flips arriving together share one version), and for latency-only drift at most once per
// `latencyIntervalMs`. Every version passes the consistency check before it is published.
import type { Config, LoadedConfig } from '../../../shared/src/config/index.js';
import type { Logger } from '../../../shared/src/logger.js';
import { encodeSnapshot } from '../../../shared/src/snapshot/codec.js';
import type { HealthMessage, SnapshotMessage } from '../messages.js';
import type { Timers } from '../timers.js';
import { buildSnapshot, checkConsistency, healthKey, type EndpointHealth } from './build.js';

export interface SnapshotRunnerOptions {
  runId: string;
  timers: Timers;
  logger: Logger;
  publish: (message: SnapshotMessage) => void;
  /** Coalescing window for status flips (default 5 ms). */
  flipDelayMs?: number;
  /** Minimum gap between latency-only versions (default 5 s). */
  latencyIntervalMs?: number;
  /** Relative latency change that counts as drift (default 0.1 = 10%, and at least 1 ms). */
  latencyDrift?: number;
}

export class SnapshotRunner {
  private loaded: LoadedConfig | undefined;
  private readonly health = new Map<string, EndpointHealth>();
  /** Latency of each endpoint in the last published version. */
  private published = new Map<string, number>();
  private version = 0;
  private lastPublishAt = -Infinity;
  private pending: { handle: unknown; at: number; reason: Exclude<SnapshotMessage['reason'], 'config'> } | undefined;
  private latest: SnapshotMessage | undefined;
  private closed = false;
  private dataPlanes: string[] = [];
  private routeCacheEpoch = 0;
  private readonly flipDelayMs: number;
  private readonly latencyIntervalMs: number;
  private readonly latencyDrift: number;

  constructor(private readonly options: SnapshotRunnerOptions) {
    this.flipDelayMs = options.flipDelayMs ?? 5;
    this.latencyIntervalMs = options.latencyIntervalMs ?? 5_000;
    this.latencyDrift = options.latencyDrift ?? 0.1;
  }

  get current(): SnapshotMessage | undefined {
    return this.latest;
  }

  get config(): LoadedConfig | undefined {
    return this.loaded;
  }

  /** Live health (fresher than the last published version for latency and lastCheck). */
  healthOf(cluster: string, endpoint: string): EndpointHealth | undefined {
    return this.health.get(healthKey(cluster, endpoint));
  }

  setConfig(loaded: LoadedConfig): void {
    this.loaded = loaded;
    const keep = new Set(keysOf(loaded.config));
    for (const key of this.health.keys()) if (!keep.has(key)) this.health.delete(key);
    this.publishNow('config');
  }

  /** The data planes fed now; a change is a new version (data planes size their limit shares by it). */
  setDataPlanes(ids: readonly string[]): void {
    const next = [...new Set(ids)].sort();
    if (next.join('\n') === this.dataPlanes.join('\n')) return;
    this.dataPlanes = next;
    if (this.loaded && !this.closed) this.scheduleAt(this.options.timers.now() + this.flipDelayMs, 'data-planes');
  }

  /**
   * DELETE /api/route-cache: a new epoch makes every data plane drop its first-success
   * decisions (in-memory LRUs are rebuilt; Redis keys live under the epoch, old ones expire).
   * Wall-clock based so a restarted control plane never reuses an epoch.
   */
  clearRouteCache(): number {
    this.routeCacheEpoch = Math.max(this.routeCacheEpoch + 1, this.options.timers.now());
    this.publishNow('route-cache');
    return this.routeCacheEpoch;
  }

  onHealth(message: HealthMessage): void {
    if (this.closed) return;
    // Updated in place: a thousand probe results a second, and builds copy the values out.
    const h = this.health.get(message.key);
    if (h === undefined) this.health.set(message.key, { status: message.status, latencyMs: message.latencyMs, lastCheck: message.lastCheck });
    else {
      h.status = message.status;
      h.latencyMs = message.latencyMs;
      h.lastCheck = message.lastCheck;
    }
    if (!this.loaded) return;
    if (message.changed) {
      this.scheduleAt(this.options.timers.now() + this.flipDelayMs, 'health');
      return;
    }
    if (this.drifted(message.key, message.latencyMs)) {
      this.scheduleAt(Math.max(this.options.timers.now(), this.lastPublishAt + this.latencyIntervalMs), 'latency');
    }
  }

  close(): void {
    this.closed = true;
    if (this.pending) this.options.timers.clearTimeout(this.pending.handle);
    this.pending = undefined;
  }

  private drifted(key: string, latencyMs: number): boolean {
    const before = this.published.get(key);
    if (before === undefined) return latencyMs > 0;
    const delta = Math.abs(latencyMs - before);
    return delta >= 1 && delta > before * this.latencyDrift;
  }

  private scheduleAt(at: number, reason: Exclude<SnapshotMessage['reason'], 'config'>): void {
    if (this.pending && this.pending.at <= at) return;
    if (this.pending) this.options.timers.clearTimeout(this.pending.handle);
    const handle = this.options.timers.setTimeout(() => {
      const r = this.pending?.reason ?? reason;
      this.pending = undefined;
      this.publishNow(r);
    }, Math.max(0, at - this.options.timers.now()));
    this.pending = { handle, at, reason };
  }

  private publishNow(reason: SnapshotMessage['reason']): void {
    if (this.closed || !this.loaded) return;
    if (this.pending) {
      this.options.timers.clearTimeout(this.pending.handle);
      this.pending = undefined;
    }
    const { timers, runId, logger } = this.options;
    const now = timers.now();
    const snapshot = buildSnapshot(this.loaded.config, this.health, {
      version: this.version + 1,
      runId,
      configVersion: this.loaded.version,
      createdAt: new Date(now).toISOString(),
      dataPlanes: this.dataPlanes,
      routeCacheEpoch: this.routeCacheEpoch,
    });
    const problems = checkConsistency(snapshot);
    if (problems.length > 0) {
      logger.error({ problems }, 'snapshot failed the consistency check; not published');
      return;
    }
    this.version++;
    this.lastPublishAt = now;
    this.published = new Map();
    for (const [key, h] of this.health) this.published.set(key, h.latencyMs);
    const message: SnapshotMessage = { version: this.version, runId, configVersion: this.loaded.version, snapshot, encoded: encodeSnapshot(snapshot), reason };
    this.latest = message;
    logger.debug({ version: this.version, reason, bytes: message.encoded.length }, 'snapshot built');
    this.options.publish(message);
  }
}

function keysOf(config: Config): string[] {
  return config.clusters.flatMap((c) => c.endpoints.map((e) => healthKey(c.name, e.name!)));
}
