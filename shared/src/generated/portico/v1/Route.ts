// Original file: proto/portico/v1/snapshot.proto

import type { Match as _portico_v1_Match, Match__Output as _portico_v1_Match__Output } from '../../portico/v1/Match.js';
import type { Static as _portico_v1_Static, Static__Output as _portico_v1_Static__Output } from '../../portico/v1/Static.js';
import type { Rewrite as _portico_v1_Rewrite, Rewrite__Output as _portico_v1_Rewrite__Output } from '../../portico/v1/Rewrite.js';
import type { RequestOverrides as _portico_v1_RequestOverrides, RequestOverrides__Output as _portico_v1_RequestOverrides__Output } from '../../portico/v1/RequestOverrides.js';
import type { ResponseOverrides as _portico_v1_ResponseOverrides, ResponseOverrides__Output as _portico_v1_ResponseOverrides__Output } from '../../portico/v1/ResponseOverrides.js';
import type { RouteAuth as _portico_v1_RouteAuth, RouteAuth__Output as _portico_v1_RouteAuth__Output } from '../../portico/v1/RouteAuth.js';
import type { RouteCors as _portico_v1_RouteCors, RouteCors__Output as _portico_v1_RouteCors__Output } from '../../portico/v1/RouteCors.js';

export interface Route {
  'name'?: (string);
  'match'?: (_portico_v1_Match | null);
  'cluster'?: (string);
  'static'?: (_portico_v1_Static | null);
  'rewrite'?: (_portico_v1_Rewrite | null);
  'request'?: (_portico_v1_RequestOverrides | null);
  'response'?: (_portico_v1_ResponseOverrides | null);
  'auth'?: (_portico_v1_RouteAuth | null);
  'websocket'?: (boolean);
  'cors'?: (_portico_v1_RouteCors | null);
  '_static'?: "static";
  '_rewrite'?: "rewrite";
}

export interface Route__Output {
  'name': (string);
  'match': (_portico_v1_Match__Output | null);
  'cluster': (string);
  'static'?: (_portico_v1_Static__Output | null);
  'rewrite'?: (_portico_v1_Rewrite__Output | null);
  'request': (_portico_v1_RequestOverrides__Output | null);
  'response': (_portico_v1_ResponseOverrides__Output | null);
  'auth': (_portico_v1_RouteAuth__Output | null);
  'websocket': (boolean);
  'cors': (_portico_v1_RouteCors__Output | null);
  '_static'?: "static";
  '_rewrite'?: "rewrite";
}
