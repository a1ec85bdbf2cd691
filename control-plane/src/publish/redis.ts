// The Redis publisher: each version is stored at `<prefix>snapshot` and announced (the encoded bytes
// themselves) on `<prefix>snapshots`, in one MULTI. After every (re)connect the current version is
// written again, so Redis never keeps a stale one. It also lists the data planes fed over Redis
// from their heartbeat keys (`<prefix>dataplane:<id>`, with a TTL) for /api/status.
import type { Redis as RedisClient } from 'ioredis';
import type { Logger } from '../../../shared/src/logger.js';
import { redisKeys, type DataPlaneRecord } from '../../../shared/src/snapshot/redis-keys.js';
import type { Channel } from '../channel.js';
import type { SnapshotMessage } from '../messages.js';
import type { DataPlaneRegistry } from './data-planes.js';

export interface RedisPublisherOptions {
  url: string;
  keyPrefix: string;
  logger: Logger;
  random: () => number;
  snapshots: Channel<SnapshotMessage>;
  current: () => SnapshotMessage | undefined;
  dataPlanes: DataPlaneRegistry;
  /** How often the data-plane heartbeat keys are read (default 2 s). */
  scanEveryMs?: number;
}

export interface RedisPublisher {
  url: string;
  keyPrefix: string;
  close(): Promise<void>;
}

/** ioredis (~20 MiB resident) is loaded only when a configuration names Redis. */
export function startRedisPublisher(options: RedisPublisherOptions): RedisPublisher {
  let closed = false;
  const started = import('ioredis').then(({ Redis }) => (closed ? undefined : run(options, new Redis(options.url, {
    // Not on the request path, but a dead Redis must not queue snapshots without bound.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 5_000,
    retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 6), 5_000) * (0.5 + options.random() / 2),
  }))));
  return {
    url: options.url,
    keyPrefix: options.keyPrefix,
    async close() {
      closed = true;
      const running = await started;
      await running?.close();
    },
  };
}

function run(options: RedisPublisherOptions, redis: RedisClient): { close(): Promise<void> } {
  const { logger, snapshots, current, dataPlanes } = options;
  const keys = redisKeys(options.keyPrefix);
  const write = (m: SnapshotMessage) => {
    if (redis.status !== 'ready') return;
    redis.multi().set(keys.snapshot, m.encoded).publish(keys.channel, m.encoded).exec()
      .catch((err: Error) => logger.warn({ err: err.message, version: m.version }, 'redis publish failed'));
  };
  let warned = false;
  redis.on('ready', () => {
    warned = false;
    logger.info({ redis: redactUrl(options.url) }, 'redis connected');
    // Pub/sub messages sent while Redis was away are lost; the stored copy must be the newest.
    const now = current();
    if (now) write(now);
  });
  redis.on('error', (err: Error) => {
    if (!warned) logger.warn({ err: err.message, redis: redactUrl(options.url) }, 'redis unavailable; retrying');
    warned = true;
  });
  const unsubscribe = snapshots.subscribe(write);

  const scan = async () => {
    if (redis.status !== 'ready') return;
    const found: string[] = [];
    let cursor = '0';
    let rounds = 0;
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', keys.dataPlanePattern, 'COUNT', 500);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0' && ++rounds < 100);
    const values = found.length > 0 ? await redis.mget(found) : [];
    const entries = values.flatMap((v) => {
      if (!v) return [];
      try {
        const r = JSON.parse(v) as DataPlaneRecord;
        return [{ id: r.id, transport: 'redis' as const, snapshotVersion: r.snapshotVersion, connectedAt: r.connectedAt }];
      } catch {
        return [];
      }
    });
    dataPlanes.setRedis(entries);
  };
  const scanTimer = setInterval(() => {
    scan().catch((err: Error) => logger.debug({ err: err.message }, 'redis data-plane scan failed'));
  }, options.scanEveryMs ?? 2_000);
  scanTimer.unref();
  redis.on('ready', () => void scan().catch(() => undefined));

  return {
    async close() {
      clearInterval(scanTimer);
      unsubscribe();
      dataPlanes.setRedis([]);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Never log a Redis password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparsable)';
  }
}
