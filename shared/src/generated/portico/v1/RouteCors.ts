// Original file: proto/portico/v1/snapshot.proto

import type { Cors as _portico_v1_Cors, Cors__Output as _portico_v1_Cors__Output } from '../../portico/v1/Cors.js';

export interface RouteCors {
  'mode'?: (string);
  'cors'?: (_portico_v1_Cors | null);
  '_cors'?: "cors";
}

export interface RouteCors__Output {
  'mode': (string);
  'cors'?: (_portico_v1_Cors__Output | null);
  '_cors'?: "cors";
}
