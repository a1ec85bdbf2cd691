// Discovery.Watch over gRPC: each stream gets the current snapshot at once, then every version.
// Snapshots are encoded once by the runner; the service's serializer passes the bytes through.
// A slow stream is never queued more than one version deep: versions are whole states, so a stream
// that is not writable skips to the newest when it drains (go-control-plane's "latest wins").
import * as grpc from '@grpc/grpc-js';
import type { HostPort } from '../../../shared/src/address.js';
import { formatHostPort } from '../../../shared/src/address.js';
import type { Logger } from '../../../shared/src/logger.js';
import { discoveryDefinition } from '../../../shared/src/snapshot/codec.js';
import type { WatchRequest__Output } from '../../../shared/src/generated/portico/v1/WatchRequest.js';
import type { LoadReport__Output } from '../../../shared/src/generated/portico/v1/LoadReport.js';
import type { ReportAck } from '../../../shared/src/generated/portico/v1/ReportAck.js';
import type { LoadReports } from './load-reports.js';
import type { Channel } from '../channel.js';
import type { SnapshotMessage } from '../messages.js';
import type { Timers } from '../timers.js';
import type { DataPlaneRegistry } from './data-planes.js';

export interface GrpcServerOptions {
  listen: HostPort;
  logger: Logger;
  timers: Timers;
  snapshots: Channel<SnapshotMessage>;
  current: () => SnapshotMessage | undefined;
  dataPlanes: DataPlaneRegistry;
  loadReports: LoadReports;
}

export interface GrpcPublisher {
  /** host:port actually bound. */
  address: string;
  close(): Promise<void>;
}

export const GRPC_SERVER_OPTIONS: grpc.ServerOptions = {
  // Pings find dead data planes; data planes ping us every 10 s, which we must permit.
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 5_000,
  'grpc.max_send_message_length': 64 * 1024 * 1024,
};

export async function startGrpcPublisher(options: GrpcServerOptions): Promise<GrpcPublisher> {
  const { logger, timers, snapshots, current, dataPlanes } = options;
  const service = discoveryDefinition()['portico.v1.Discovery'] as grpc.ServiceDefinition;
  const watch = service.Watch!;
  const passthrough: grpc.ServiceDefinition = { Watch: { ...watch, responseSerialize: (bytes: Buffer) => bytes }, Report: service.Report! };
  const streams = new Set<grpc.ServerWritableStream<WatchRequest__Output, Buffer>>();

  const server = new grpc.Server(GRPC_SERVER_OPTIONS);
  server.addService(passthrough, {
    Watch: (call: grpc.ServerWritableStream<WatchRequest__Output, Buffer>) => {
      const request = call.request;
      const id = request.dataPlaneId || `anonymous@${call.getPeer()}`;
      const entry = dataPlanes.add(id, 'grpc', new Date(timers.now()).toISOString());
      streams.add(call);
      logger.info({ dataPlane: id, peer: call.getPeer(), holds: request.version || undefined }, 'data plane connected');

      let waiting: SnapshotMessage | undefined;
      let blocked = false;
      const send = (m: SnapshotMessage) => {
        if (blocked) {
          waiting = m;
          return;
        }
        entry.snapshotVersion = m.version;
        if (!call.write(m.encoded)) blocked = true;
      };
      call.on('drain', () => {
        blocked = false;
        const next = waiting;
        waiting = undefined;
        if (next) send(next);
      });
      const now = current();
      if (now) {
        if (request.runId === now.runId && request.version === now.version) entry.snapshotVersion = now.version;
        else send(now);
      }
      const unsubscribe = snapshots.subscribe(send);
      let done = false;
      const finish = (why: string) => {
        if (done) return;
        done = true;
        unsubscribe();
        streams.delete(call);
        dataPlanes.remove(entry);
        options.loadReports.forget(id);
        logger.info({ dataPlane: id, why }, 'data plane disconnected');
      };
      call.on('cancelled', () => finish('cancelled'));
      call.on('close', () => finish('closed'));
      call.on('error', (err) => finish(err.message));
    },
    Report: (call: grpc.ServerUnaryCall<LoadReport__Output, ReportAck>, callback: grpc.sendUnaryData<ReportAck>) => {
      options.loadReports.accept(call.request.dataPlaneId, call.request.endpoints);
      callback(null, {});
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(formatHostPort(options.listen), grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  const address = formatHostPort({ host: options.listen.host, port });
  logger.info({ address, listener: 'grpc' }, 'listening');

  return {
    address,
    async close() {
      // Watch streams never end on their own: end them so data planes reconnect elsewhere at once.
      for (const call of streams) call.end();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1_000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}
