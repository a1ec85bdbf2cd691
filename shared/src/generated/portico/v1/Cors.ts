// Original file: proto/portico/v1/snapshot.proto

import type { Long } from '@grpc/proto-loader';

export interface Cors {
  'origins'?: (string)[];
  'methods'?: (string)[];
  'headers'?: (string)[];
  'credentials'?: (boolean);
  'maxAgeMs'?: (number | string | Long);
}

export interface Cors__Output {
  'origins': (string)[];
  'methods': (string)[];
  'headers': (string)[];
  'credentials': (boolean);
  'maxAgeMs': (number);
}
