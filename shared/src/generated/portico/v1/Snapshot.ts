// Original file: proto/portico/v1/snapshot.proto

import type { Gateway as _portico_v1_Gateway, Gateway__Output as _portico_v1_Gateway__Output } from '../../portico/v1/Gateway.js';
import type { RouteCache as _portico_v1_RouteCache, RouteCache__Output as _portico_v1_RouteCache__Output } from '../../portico/v1/RouteCache.js';
import type { Redis as _portico_v1_Redis, Redis__Output as _portico_v1_Redis__Output } from '../../portico/v1/Redis.js';
import type { Cluster as _portico_v1_Cluster, Cluster__Output as _portico_v1_Cluster__Output } from '../../portico/v1/Cluster.js';
import type { Route as _portico_v1_Route, Route__Output as _portico_v1_Route__Output } from '../../portico/v1/Route.js';
import type { Long } from '@grpc/proto-loader';

export interface Snapshot {
  'version'?: (number | string | Long);
  'runId'?: (string);
  'configVersion'?: (string);
  'createdAt'?: (string);
  'gateway'?: (_portico_v1_Gateway | null);
  'authKeys'?: (string)[];
  'routeCache'?: (_portico_v1_RouteCache | null);
  'redis'?: (_portico_v1_Redis | null);
  'clusters'?: (_portico_v1_Cluster)[];
  'routes'?: (_portico_v1_Route)[];
  'dataPlanes'?: (string)[];
  'routeCacheEpoch'?: (number | string | Long);
  '_redis'?: "redis";
}

export interface Snapshot__Output {
  'version': (number);
  'runId': (string);
  'configVersion': (string);
  'createdAt': (string);
  'gateway': (_portico_v1_Gateway__Output | null);
  'authKeys': (string)[];
  'routeCache': (_portico_v1_RouteCache__Output | null);
  'redis'?: (_portico_v1_Redis__Output | null);
  'clusters': (_portico_v1_Cluster__Output)[];
  'routes': (_portico_v1_Route__Output)[];
  'dataPlanes': (string)[];
  'routeCacheEpoch': (number);
  '_redis'?: "redis";
}
