// Original file: proto/portico/v1/snapshot.proto

import type { HeaderEdits as _portico_v1_HeaderEdits, HeaderEdits__Output as _portico_v1_HeaderEdits__Output } from '../../portico/v1/HeaderEdits.js';

export interface RequestOverrides {
  'method'?: (string);
  'body'?: (string);
  'forwardQuery'?: (boolean);
  'headers'?: (_portico_v1_HeaderEdits | null);
  '_method'?: "method";
  '_body'?: "body";
}

export interface RequestOverrides__Output {
  'method'?: (string);
  'body'?: (string);
  'forwardQuery': (boolean);
  'headers': (_portico_v1_HeaderEdits__Output | null);
  '_method'?: "method";
  '_body'?: "body";
}
