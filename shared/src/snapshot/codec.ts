// One protobuf codec for every place a snapshot travels: the gRPC stream, Redis, the snapshot file
// and the in-process handoff of `portico all` (which round-trips too, so every data plane sees
// exactly the same decoded shape).
import { fileURLToPath } from 'node:url';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import type { Snapshot, SnapshotInput } from './types.js';

export const PROTO_DIR = fileURLToPath(new URL('../../../../proto/', import.meta.url));

/** The options `make proto` generates types for; change both together. */
export const PROTO_LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  arrays: true,
  objects: true,
  includeDirs: [PROTO_DIR],
} as const;

let definition: PackageDefinition | undefined;

export function discoveryDefinition(): PackageDefinition {
  definition ??= loadSync('portico/v1/discovery.proto', { ...PROTO_LOADER_OPTIONS, includeDirs: [...PROTO_LOADER_OPTIONS.includeDirs] });
  return definition;
}

interface WatchMethod {
  responseSerialize(value: SnapshotInput): Buffer;
  responseDeserialize(bytes: Buffer): Snapshot;
}

function watchMethod(): WatchMethod {
  return (discoveryDefinition()['portico.v1.Discovery'] as unknown as { Watch: WatchMethod }).Watch;
}

export function encodeSnapshot(snapshot: SnapshotInput): Buffer {
  return watchMethod().responseSerialize(snapshot);
}

export function decodeSnapshot(bytes: Buffer): Snapshot {
  return watchMethod().responseDeserialize(bytes);
}

/** The exact object a remote data plane would receive. */
export function roundTrip(snapshot: SnapshotInput): Snapshot {
  return decodeSnapshot(encodeSnapshot(snapshot));
}
