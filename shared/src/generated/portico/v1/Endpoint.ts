// Original file: proto/portico/v1/snapshot.proto

import type { RateLimit as _portico_v1_RateLimit, RateLimit__Output as _portico_v1_RateLimit__Output } from '../../portico/v1/RateLimit.js';
import type { EndpointAuth as _portico_v1_EndpointAuth, EndpointAuth__Output as _portico_v1_EndpointAuth__Output } from '../../portico/v1/EndpointAuth.js';
import type { HealthStatus as _portico_v1_HealthStatus, HealthStatus__Output as _portico_v1_HealthStatus__Output } from '../../portico/v1/HealthStatus.js';

export interface Endpoint {
  'name'?: (string);
  'url'?: (string);
  'weight'?: (number);
  'maxRequests'?: (number);
  'rateLimit'?: (_portico_v1_RateLimit | null);
  'auth'?: (_portico_v1_EndpointAuth | null);
  'status'?: (_portico_v1_HealthStatus);
  'latencyMs'?: (number | string);
  'lastCheck'?: (string);
  '_maxRequests'?: "maxRequests";
  '_rateLimit'?: "rateLimit";
  '_auth'?: "auth";
}

export interface Endpoint__Output {
  'name': (string);
  'url': (string);
  'weight': (number);
  'maxRequests'?: (number);
  'rateLimit'?: (_portico_v1_RateLimit__Output | null);
  'auth'?: (_portico_v1_EndpointAuth__Output | null);
  'status': (_portico_v1_HealthStatus__Output);
  'latencyMs': (number);
  'lastCheck': (string);
  '_maxRequests'?: "maxRequests";
  '_rateLimit'?: "rateLimit";
  '_auth'?: "auth";
}
