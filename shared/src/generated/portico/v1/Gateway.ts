// Original file: proto/portico/v1/snapshot.proto

import type { Cors as _portico_v1_Cors, Cors__Output as _portico_v1_Cors__Output } from '../../portico/v1/Cors.js';
import type { Long } from '@grpc/proto-loader';

export interface Gateway {
  'trustProxy'?: (string)[];
  'maxBufferedBody'?: (number | string | Long);
  'maxHeaderSize'?: (number | string | Long);
  'statusEndpoints'?: (boolean);
  'cors'?: (_portico_v1_Cors | null);
  '_cors'?: "cors";
}

export interface Gateway__Output {
  'trustProxy': (string)[];
  'maxBufferedBody': (number);
  'maxHeaderSize': (number);
  'statusEndpoints': (boolean);
  'cors'?: (_portico_v1_Cors__Output | null);
  '_cors'?: "cors";
}
