// Original file: proto/portico/v1/snapshot.proto

import type { Long } from '@grpc/proto-loader';

export interface RouteCache {
  'ttlMs'?: (number | string | Long);
  'maxEntries'?: (number | string | Long);
}

export interface RouteCache__Output {
  'ttlMs': (number);
  'maxEntries': (number);
}
