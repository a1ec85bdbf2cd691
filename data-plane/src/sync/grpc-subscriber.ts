// The data plane's gRPC subscriber: one Discovery.Watch stream to the control plane, re-opened with
// backoff + jitter whenever it ends. It never clears the store: when the control plane goes away
// the data plane keeps serving its last snapshot. Keepalive pings notice a dead peer.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../../shared/src/logger.js';
import { decodeSnapshot, discoveryDefinition } from '../../../shared/src/snapshot/codec.js';
import type { WatchRequest } from '../../../shared/src/generated/portico/v1/WatchRequest.js';
import type { LoadReport } from '../../../shared/src/generated/portico/v1/LoadReport.js';
import { backoffDelay, type SnapshotSink, type Subscriber } from './sink.js';

export interface GrpcSubscriberOptions {
  /** HOST:PORT of the control plane. */
  address: string;
  id: string;
  logger: Logger;
  random: () => number;
  sink: SnapshotSink;
  /** The snapshot this data plane holds, sent in WatchRequest so an up-to-date one is not resent. */
  held: () => { runId: string; version: number } | undefined;
}

export const GRPC_CLIENT_OPTIONS: grpc.ChannelOptions = {
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 2_000,
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
};

const WATCH_PATH = '/portico.v1.Discovery/Watch';
const REPORT_PATH = '/portico.v1.Discovery/Report';

export function startGrpcSubscriber(options: GrpcSubscriberOptions): Subscriber {
  const { logger, random, sink } = options;
  const method = (discoveryDefinition()['portico.v1.Discovery'] as grpc.ServiceDefinition).Watch!;
  const client = new grpc.Client(options.address, grpc.credentials.createInsecure(), GRPC_CLIENT_OPTIONS);
  let attempt = 0;
  let closed = false;
  let call: grpc.ClientReadableStream<Buffer> | undefined;
  let retry: NodeJS.Timeout | undefined;
  let connected = false;

  const open = () => {
    if (closed) return;
    const held = options.held();
    const request: WatchRequest = { dataPlaneId: options.id, runId: held?.runId ?? '', version: held?.version ?? 0 };
    // Bytes through untouched: decoded here, and kept for the snapshot file / worker relay.
    const stream = client.makeServerStreamRequest<WatchRequest, Buffer>(
      WATCH_PATH,
      method.requestSerialize as (value: WatchRequest) => Buffer,
      (bytes: Buffer) => bytes,
      request,
      { waitForReady: true } as grpc.CallOptions,
    );
    call = stream;
    let ended = false;
    stream.on('metadata', () => {
      if (!connected) logger.info({ controlPlane: options.address }, 'watching control plane');
      connected = true;
      attempt = 0;
    });
    stream.on('data', (bytes: Buffer) => {
      attempt = 0;
      let snapshot;
      try {
        snapshot = decodeSnapshot(bytes);
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'undecodable snapshot from control plane; ignored');
        return;
      }
      sink(snapshot, bytes, 'grpc');
    });
    const reconnect = (why: string) => {
      if (ended) return;
      ended = true;
      if (closed) return;
      const delay = backoffDelay(attempt++, random);
      if (connected || attempt === 1) logger.warn({ controlPlane: options.address, why, retryInMs: Math.round(delay) }, 'control plane stream lost; serving the last snapshot');
      connected = false;
      retry = setTimeout(open, delay);
    };
    stream.on('error', (err: grpc.ServiceError) => reconnect(err.details || err.message));
    stream.on('status', (s: grpc.StatusObject) => reconnect(s.details || grpc.status[s.code] || 'ended'));
    stream.on('end', () => reconnect('ended'));
  };
  open();

  const reportMethod = (discoveryDefinition()['portico.v1.Discovery'] as grpc.ServiceDefinition).Report!;
  return {
    report(endpoints) {
      if (closed || !connected) return;
      const request: LoadReport = { dataPlaneId: options.id, endpoints };
      client.makeUnaryRequest(
        REPORT_PATH,
        reportMethod.requestSerialize as (value: LoadReport) => Buffer,
        reportMethod.responseDeserialize as (bytes: Buffer) => unknown,
        request,
        { deadline: Date.now() + 2_000 },
        // A lost report is replaced by the next one; nothing to retry.
        () => undefined,
      );
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      call?.cancel();
      client.close();
    },
  };
}
