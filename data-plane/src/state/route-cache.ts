// Decisions of first-success clusters (SPEC §3.3): request key -> the endpoint that answered 2xx.
// In Redis when configured (shared by every data plane), else an in-memory LRU. A Redis that is
// slow or down counts as a miss: the request then simply tries endpoints in order.
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Snapshot } from '../../../shared/src/snapshot/types.js';

export interface RouteCache {
  /** The remembered endpoint name, if any (synchronous for the in-memory cache). */
  get(key: string): string | undefined | Promise<string | undefined>;
  set(key: string, endpoint: string): void;
  close(): Promise<void>;
}

export class MemoryRouteCache implements RouteCache {
  private readonly lru: LRUCache<string, string>;
  constructor(maxEntries: number, ttlMs: number) {
    this.lru = new LRUCache({ max: maxEntries, ttl: ttlMs });
  }
  get(key: string): string | undefined {
    return this.lru.get(key);
  }
  set(key: string, endpoint: string): void {
    this.lru.set(key, endpoint);
  }
  async close(): Promise<void> {
    this.lru.clear();
  }
}

export class RedisRouteCache implements RouteCache {
  private readonly redis: Redis;
  constructor(url: string, private readonly namespace: string, private readonly ttlMs: number) {
    // On the request path: never queue while Redis is down, never retry for long (STACK.md).
    this.redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 250, lazyConnect: false });
    this.redis.on('error', () => undefined); // reconnects by itself; a miss is the fallback
  }
  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(this.namespace + key)) ?? undefined;
    } catch {
      return undefined;
    }
  }
  set(key: string, endpoint: string): void {
    this.redis.set(this.namespace + key, endpoint, 'PX', this.ttlMs).catch(() => undefined);
  }
  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export interface RouteCacheSettings {
  redisUrl: string | undefined;
  keyPrefix: string;
  ttlMs: number;
  maxEntries: number;
  /** Bumped by the control plane to clear every data plane's decisions at once. */
  epoch: number;
}

export function routeCacheSettings(s: Snapshot): RouteCacheSettings {
  return {
    redisUrl: s.redis?.url,
    keyPrefix: s.redis?.keyPrefix ?? 'portico:',
    ttlMs: s.routeCache?.ttlMs || 600_000,
    maxEntries: s.routeCache?.maxEntries || 100_000,
    epoch: s.routeCacheEpoch,
  };
}

/** Keeps one cache matching the current snapshot's settings; rebuilt only when they change. */
export class RouteCacheHolder {
  private cache: RouteCache | undefined = undefined;
  private settingsKey = '';

  current(): RouteCache | undefined {
    return this.cache;
  }

  update(s: RouteCacheSettings): void {
    const key = JSON.stringify(s);
    if (key === this.settingsKey) return;
    this.settingsKey = key;
    const old = this.cache;
    this.cache = s.redisUrl
      ? new RedisRouteCache(s.redisUrl, `${s.keyPrefix}route-cache:${s.epoch}:`, s.ttlMs)
      : new MemoryRouteCache(s.maxEntries, s.ttlMs);
    void old?.close();
  }

  async close(): Promise<void> {
    await this.cache?.close();
    this.cache = undefined;
  }
}
