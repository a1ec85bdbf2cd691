// Original file: proto/portico/v1/snapshot.proto

import type { Endpoint as _portico_v1_Endpoint, Endpoint__Output as _portico_v1_Endpoint__Output } from '../../portico/v1/Endpoint.js';
import type { Long } from '@grpc/proto-loader';

export interface Cluster {
  'name'?: (string);
  'balancer'?: (string);
  'connectTimeoutMs'?: (number | string | Long);
  'timeoutMs'?: (number | string | Long);
  'idleTimeoutMs'?: (number | string | Long);
  'retries'?: (number);
  'outlierConsecutiveFailures'?: (number);
  'outlierEjectionTimeMs'?: (number | string | Long);
  'endpoints'?: (_portico_v1_Endpoint)[];
}

export interface Cluster__Output {
  'name': (string);
  'balancer': (string);
  'connectTimeoutMs': (number);
  'timeoutMs': (number);
  'idleTimeoutMs': (number);
  'retries': (number);
  'outlierConsecutiveFailures': (number);
  'outlierEjectionTimeMs': (number);
  'endpoints': (_portico_v1_Endpoint__Output)[];
}
