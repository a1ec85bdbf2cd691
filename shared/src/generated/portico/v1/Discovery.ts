// Original file: proto/portico/v1/discovery.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { LoadReport as _portico_v1_LoadReport, LoadReport__Output as _portico_v1_LoadReport__Output } from '../../portico/v1/LoadReport.js';
import type { ReportAck as _portico_v1_ReportAck, ReportAck__Output as _portico_v1_ReportAck__Output } from '../../portico/v1/ReportAck.js';
import type { Snapshot as _portico_v1_Snapshot, Snapshot__Output as _portico_v1_Snapshot__Output } from '../../portico/v1/Snapshot.js';
import type { WatchRequest as _portico_v1_WatchRequest, WatchRequest__Output as _portico_v1_WatchRequest__Output } from '../../portico/v1/WatchRequest.js';

export interface DiscoveryClient extends grpc.Client {
  Report(argument: _portico_v1_LoadReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  Report(argument: _portico_v1_LoadReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  Report(argument: _portico_v1_LoadReport, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  Report(argument: _portico_v1_LoadReport, callback: grpc.requestCallback<_portico_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  report(argument: _portico_v1_LoadReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  report(argument: _portico_v1_LoadReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  report(argument: _portico_v1_LoadReport, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  report(argument: _portico_v1_LoadReport, callback: grpc.requestCallback<_portico_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  
  Watch(argument: _portico_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_portico_v1_Snapshot__Output>;
  Watch(argument: _portico_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_portico_v1_Snapshot__Output>;
  watch(argument: _portico_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_portico_v1_Snapshot__Output>;
  watch(argument: _portico_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_portico_v1_Snapshot__Output>;
  
}

export interface DiscoveryHandlers extends grpc.UntypedServiceImplementation {
  Report: grpc.handleUnaryCall<_portico_v1_LoadReport__Output, _portico_v1_ReportAck>;
  
  Watch: grpc.handleServerStreamingCall<_portico_v1_WatchRequest__Output, _portico_v1_Snapshot>;
  
}

export interface DiscoveryDefinition extends grpc.ServiceDefinition {
  Report: MethodDefinition<_portico_v1_LoadReport, _portico_v1_ReportAck, _portico_v1_LoadReport__Output, _portico_v1_ReportAck__Output>
  Watch: MethodDefinition<_portico_v1_WatchRequest, _portico_v1_Snapshot, _portico_v1_WatchRequest__Output, _portico_v1_Snapshot__Output>
}
