// What every snapshot source hands on: the decoded snapshot plus its encoded bytes (kept so the
// snapshot file and the worker relay never re-encode).
import type { Snapshot } from '../../../shared/src/snapshot/types.js';
import type { EndpointLoad } from '../../../shared/src/generated/portico/v1/EndpointLoad.js';

export type SnapshotSource = 'grpc' | 'redis' | 'file' | 'relay' | 'in-process';

export type SnapshotSink = (snapshot: Snapshot, bytes: Buffer, source: SnapshotSource) => void;

export interface Subscriber {
  /** Sends this plane's load report to the control plane, where the transport can (gRPC). */
  report?(endpoints: EndpointLoad[]): void;
  close(): Promise<void>;
}

/** Exponential backoff with jitter: 100 ms, 200 ms, … up to `maxMs`, each scaled by 0.5–1.0. */
export function backoffDelay(attempt: number, random: () => number, baseMs = 100, maxMs = 5_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16)) * (0.5 + random() / 2);
}
