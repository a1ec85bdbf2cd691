import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Cluster as _portico_v1_Cluster, Cluster__Output as _portico_v1_Cluster__Output } from './portico/v1/Cluster.js';
import type { Cors as _portico_v1_Cors, Cors__Output as _portico_v1_Cors__Output } from './portico/v1/Cors.js';
import type { DiscoveryClient as _portico_v1_DiscoveryClient, DiscoveryDefinition as _portico_v1_DiscoveryDefinition } from './portico/v1/Discovery.js';
import type { Endpoint as _portico_v1_Endpoint, Endpoint__Output as _portico_v1_Endpoint__Output } from './portico/v1/Endpoint.js';
import type { EndpointAuth as _portico_v1_EndpointAuth, EndpointAuth__Output as _portico_v1_EndpointAuth__Output } from './portico/v1/EndpointAuth.js';
import type { EndpointLoad as _portico_v1_EndpointLoad, EndpointLoad__Output as _portico_v1_EndpointLoad__Output } from './portico/v1/EndpointLoad.js';
import type { Gateway as _portico_v1_Gateway, Gateway__Output as _portico_v1_Gateway__Output } from './portico/v1/Gateway.js';
import type { HeaderEdits as _portico_v1_HeaderEdits, HeaderEdits__Output as _portico_v1_HeaderEdits__Output } from './portico/v1/HeaderEdits.js';
import type { LoadReport as _portico_v1_LoadReport, LoadReport__Output as _portico_v1_LoadReport__Output } from './portico/v1/LoadReport.js';
import type { Match as _portico_v1_Match, Match__Output as _portico_v1_Match__Output } from './portico/v1/Match.js';
import type { RateLimit as _portico_v1_RateLimit, RateLimit__Output as _portico_v1_RateLimit__Output } from './portico/v1/RateLimit.js';
import type { Redis as _portico_v1_Redis, Redis__Output as _portico_v1_Redis__Output } from './portico/v1/Redis.js';
import type { ReportAck as _portico_v1_ReportAck, ReportAck__Output as _portico_v1_ReportAck__Output } from './portico/v1/ReportAck.js';
import type { RequestOverrides as _portico_v1_RequestOverrides, RequestOverrides__Output as _portico_v1_RequestOverrides__Output } from './portico/v1/RequestOverrides.js';
import type { ResponseOverrides as _portico_v1_ResponseOverrides, ResponseOverrides__Output as _portico_v1_ResponseOverrides__Output } from './portico/v1/ResponseOverrides.js';
import type { Rewrite as _portico_v1_Rewrite, Rewrite__Output as _portico_v1_Rewrite__Output } from './portico/v1/Rewrite.js';
import type { Route as _portico_v1_Route, Route__Output as _portico_v1_Route__Output } from './portico/v1/Route.js';
import type { RouteAuth as _portico_v1_RouteAuth, RouteAuth__Output as _portico_v1_RouteAuth__Output } from './portico/v1/RouteAuth.js';
import type { RouteCache as _portico_v1_RouteCache, RouteCache__Output as _portico_v1_RouteCache__Output } from './portico/v1/RouteCache.js';
import type { RouteCors as _portico_v1_RouteCors, RouteCors__Output as _portico_v1_RouteCors__Output } from './portico/v1/RouteCors.js';
import type { Snapshot as _portico_v1_Snapshot, Snapshot__Output as _portico_v1_Snapshot__Output } from './portico/v1/Snapshot.js';
import type { Static as _portico_v1_Static, Static__Output as _portico_v1_Static__Output } from './portico/v1/Static.js';
import type { WatchRequest as _portico_v1_WatchRequest, WatchRequest__Output as _portico_v1_WatchRequest__Output } from './portico/v1/WatchRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  portico: {
    v1: {
      Cluster: MessageTypeDefinition<_portico_v1_Cluster, _portico_v1_Cluster__Output>
      Cors: MessageTypeDefinition<_portico_v1_Cors, _portico_v1_Cors__Output>
      Discovery: SubtypeConstructor<typeof grpc.Client, _portico_v1_DiscoveryClient> & { service: _portico_v1_DiscoveryDefinition }
      Endpoint: MessageTypeDefinition<_portico_v1_Endpoint, _portico_v1_Endpoint__Output>
      EndpointAuth: MessageTypeDefinition<_portico_v1_EndpointAuth, _portico_v1_EndpointAuth__Output>
      EndpointLoad: MessageTypeDefinition<_portico_v1_EndpointLoad, _portico_v1_EndpointLoad__Output>
      Gateway: MessageTypeDefinition<_portico_v1_Gateway, _portico_v1_Gateway__Output>
      HeaderEdits: MessageTypeDefinition<_portico_v1_HeaderEdits, _portico_v1_HeaderEdits__Output>
      HealthStatus: EnumTypeDefinition
      LoadReport: MessageTypeDefinition<_portico_v1_LoadReport, _portico_v1_LoadReport__Output>
      Match: MessageTypeDefinition<_portico_v1_Match, _portico_v1_Match__Output>
      RateLimit: MessageTypeDefinition<_portico_v1_RateLimit, _portico_v1_RateLimit__Output>
      Redis: MessageTypeDefinition<_portico_v1_Redis, _portico_v1_Redis__Output>
      ReportAck: MessageTypeDefinition<_portico_v1_ReportAck, _portico_v1_ReportAck__Output>
      RequestOverrides: MessageTypeDefinition<_portico_v1_RequestOverrides, _portico_v1_RequestOverrides__Output>
      ResponseOverrides: MessageTypeDefinition<_portico_v1_ResponseOverrides, _portico_v1_ResponseOverrides__Output>
      Rewrite: MessageTypeDefinition<_portico_v1_Rewrite, _portico_v1_Rewrite__Output>
      Route: MessageTypeDefinition<_portico_v1_Route, _portico_v1_Route__Output>
      RouteAuth: MessageTypeDefinition<_portico_v1_RouteAuth, _portico_v1_RouteAuth__Output>
      RouteCache: MessageTypeDefinition<_portico_v1_RouteCache, _portico_v1_RouteCache__Output>
      RouteCors: MessageTypeDefinition<_portico_v1_RouteCors, _portico_v1_RouteCors__Output>
      Snapshot: MessageTypeDefinition<_portico_v1_Snapshot, _portico_v1_Snapshot__Output>
      Static: MessageTypeDefinition<_portico_v1_Static, _portico_v1_Static__Output>
      WatchRequest: MessageTypeDefinition<_portico_v1_WatchRequest, _portico_v1_WatchRequest__Output>
    }
  }
}

