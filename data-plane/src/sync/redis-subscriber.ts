// The data plane's Redis subscriber. Pub/sub drops whatever is published while the connection is
// down, so after every (re)connect it subscribes and then reads the stored snapshot; the store
// ignores what it already has. It also keeps a heartbeat key so the control plane can list it.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../../../shared/src/logger.js';
import { decodeSnapshot } from '../../../shared/src/snapshot/codec.js';
import { DATA_PLANE_REFRESH_MS, DATA_PLANE_TTL_MS, redisKeys, type DataPlaneRecord } from '../../../shared/src/snapshot/redis-keys.js';
import { backoffDelay, type SnapshotSink, type Subscriber } from './sink.js';

export interface RedisSubscriberOptions {
  url: string;
  keyPrefix: string;
  id: string;
  logger: Logger;
  random: () => number;
  sink: SnapshotSink;
  /** The snapshot served now, for the heartbeat. */
  held: () => { runId: string; version: number } | undefined;
}

export function startRedisSubscriber(options: RedisSubscriberOptions): Subscriber & { heartbeat(): void } {
  const { logger, random, sink } = options;
  const keys = redisKeys(options.keyPrefix);
  const retryStrategy = (times: number) => backoffDelay(times, random);
  // STACK.md: no offline queue and one retry for commands, so nothing piles up while Redis is down.
  const common: RedisOptions = { retryStrategy, maxRetriesPerRequest: 1, commandTimeout: 2_000 };
  const cmd = new Redis(options.url, { ...common, enableOfflineQueue: false });
  const sub = new Redis(options.url, { ...common, autoResubscribe: true, enableOfflineQueue: true });
  let connectedAt = new Date().toISOString();
  let closed = false;
  let warned = false;

  const accept = (bytes: Buffer, via: string) => {
    try {
      sink(decodeSnapshot(bytes), bytes, 'redis');
    } catch (err) {
      logger.error({ err: (err as Error).message, via }, 'undecodable snapshot from redis; ignored');
    }
  };
  const readStored = async () => {
    if (cmd.status !== 'ready') return;
    const bytes = await cmd.getBuffer(keys.snapshot);
    if (bytes) accept(bytes, 'stored');
  };
  const heartbeat = () => {
    if (closed || cmd.status !== 'ready') return;
    const held = options.held();
    const record: DataPlaneRecord = { id: options.id, snapshotVersion: held?.version ?? 0, runId: held?.runId ?? '', connectedAt };
    cmd.set(keys.dataPlane(options.id), JSON.stringify(record), 'PX', DATA_PLANE_TTL_MS).catch(() => undefined);
  };

  sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => accept(message, 'pubsub'));
  sub.on('ready', () => {
    connectedAt = new Date().toISOString();
    warned = false;
    logger.info({ channel: keys.channel }, 'subscribed to redis snapshots');
    sub.subscribe(keys.channel)
      .then(() => readStored())
      .catch((err: Error) => logger.warn({ err: err.message }, 'redis subscribe/read failed'));
  });
  cmd.on('ready', () => {
    readStored().catch((err: Error) => logger.warn({ err: err.message }, 'reading the stored snapshot failed'));
    heartbeat();
  });
  for (const client of [sub, cmd]) {
    client.on('error', (err: Error) => {
      if (!warned) logger.warn({ err: err.message }, 'redis unavailable; serving the last snapshot and retrying');
      warned = true;
    });
  }
  const timer = setInterval(heartbeat, DATA_PLANE_REFRESH_MS);
  timer.unref();

  return {
    heartbeat,
    async close() {
      closed = true;
      clearInterval(timer);
      await cmd.del(keys.dataPlane(options.id)).catch(() => undefined);
      await Promise.all([sub, cmd].map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
