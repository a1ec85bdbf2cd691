// Original file: proto/portico/v1/discovery.proto

import type { EndpointLoad as _portico_v1_EndpointLoad, EndpointLoad__Output as _portico_v1_EndpointLoad__Output } from '../../portico/v1/EndpointLoad.js';

export interface LoadReport {
  'dataPlaneId'?: (string);
  'endpoints'?: (_portico_v1_EndpointLoad)[];
}

export interface LoadReport__Output {
  'dataPlaneId': (string);
  'endpoints': (_portico_v1_EndpointLoad__Output)[];
}
