// Original file: proto/portico/v1/discovery.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Snapshot as _portico_v1_Snapshot, Snapshot__Output as _portico_v1_Snapshot__Output } from '../../portico/v1/Snapshot.js';
import type { WatchRequest as _portico_v1_WatchRequest, WatchRequest__Output as _portico_v1_WatchRequest__Output } from '../../portico/v1/WatchRequest.js';

export interface DiscoveryClient extends grpc.Client {
  Watch(argument: _portico_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_portico_v1_Snapshot__Output>;
  Watch(argument: _portico_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_portico_v1_Snapshot__Output>;
  watch(argument: _portico_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_portico_v1_Snapshot__Output>;
  watch(argument: _portico_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_portico_v1_Snapshot__Output>;
  
}

export interface DiscoveryHandlers extends grpc.UntypedServiceImplementation {
  Watch: grpc.handleServerStreamingCall<_portico_v1_WatchRequest__Output, _portico_v1_Snapshot>;
  
}

export interface DiscoveryDefinition extends grpc.ServiceDefinition {
  Watch: MethodDefinition<_portico_v1_WatchRequest, _portico_v1_Snapshot, _portico_v1_WatchRequest__Output, _portico_v1_Snapshot__Output>
}
