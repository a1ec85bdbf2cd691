// One entry point for a data plane's snapshot sources: the snapshot file first (before any control
// plane answers), then gRPC or Redis. Each installed snapshot goes to `apply` and to the file.
import type { Logger } from '../../../shared/src/logger.js';
import type { Snapshot } from '../../../shared/src/snapshot/types.js';
import type { EndpointLoad } from '../../../shared/src/generated/portico/v1/EndpointLoad.js';
import { startGrpcSubscriber } from './grpc-subscriber.js';
import type { SnapshotSource, Subscriber } from './sink.js';
import { readSnapshotFile, SnapshotFileWriter } from './snapshot-file.js';

export type FeedSource = { kind: 'grpc'; address: string } | { kind: 'redis'; url: string; keyPrefix: string };

export interface FeedOptions {
  source: FeedSource;
  id: string;
  logger: Logger;
  random: () => number;
  snapshotFile?: string;
  /** Installs a snapshot; returns whether it was newer than the one served (SnapshotStore rule). */
  apply: (snapshot: Snapshot, bytes: Buffer, source: SnapshotSource) => boolean;
}

export interface Feed {
  held(): { runId: string; version: number } | undefined;
  /** Forwards a load report to the control plane when the transport carries them (gRPC). */
  report(endpoints: EndpointLoad[]): void;
  close(): Promise<void>;
}

export function startFeed(options: FeedOptions): Feed {
  const { logger, random, id } = options;
  const writer = options.snapshotFile ? new SnapshotFileWriter(options.snapshotFile, logger) : undefined;
  let held: { runId: string; version: number } | undefined;
  let heartbeat: (() => void) | undefined;

  const sink = (snapshot: Snapshot, bytes: Buffer, source: SnapshotSource) => {
    if (!options.apply(snapshot, bytes, source)) return;
    held = { runId: snapshot.runId, version: snapshot.version };
    if (source !== 'file') writer?.write(bytes);
    heartbeat?.();
  };

  if (options.snapshotFile) {
    const saved = readSnapshotFile(options.snapshotFile, logger);
    if (saved) {
      logger.info({ file: options.snapshotFile, version: saved.snapshot.version, runId: saved.snapshot.runId }, 'serving the saved snapshot until the control plane answers');
      sink(saved.snapshot, saved.bytes, 'file');
    }
  }

  let subscriber: Promise<Subscriber | undefined>;
  let closed = false;
  const source = options.source;
  if (source.kind === 'grpc') {
    subscriber = Promise.resolve(startGrpcSubscriber({ address: source.address, id, logger, random, sink, held: () => held }));
  } else {
    // ioredis (~20 MiB resident) is loaded only by data planes fed from Redis.
    subscriber = import('./redis-subscriber.js').then(({ startRedisSubscriber }) => {
      if (closed) return undefined;
      const redis = startRedisSubscriber({ url: source.url, keyPrefix: source.keyPrefix, id, logger, random, sink, held: () => held });
      heartbeat = redis.heartbeat;
      return redis;
    });
  }

  let current: Subscriber | undefined;
  void subscriber.then((s) => { current = s; });
  return {
    held: () => held,
    report: (endpoints) => current?.report?.(endpoints),
    async close() {
      closed = true;
      await (await subscriber)?.close();
      await writer?.flush();
    },
  };
}
