// Original file: proto/portico/v1/discovery.proto

import type { Long } from '@grpc/proto-loader';

export interface WatchRequest {
  'dataPlaneId'?: (string);
  'runId'?: (string);
  'version'?: (number | string | Long);
}

export interface WatchRequest__Output {
  'dataPlaneId': (string);
  'runId': (string);
  'version': (number);
}
