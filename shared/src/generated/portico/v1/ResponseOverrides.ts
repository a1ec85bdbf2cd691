// Original file: proto/portico/v1/snapshot.proto

import type { HeaderEdits as _portico_v1_HeaderEdits, HeaderEdits__Output as _portico_v1_HeaderEdits__Output } from '../../portico/v1/HeaderEdits.js';

export interface ResponseOverrides {
  'headers'?: (_portico_v1_HeaderEdits | null);
  'rewriteLocation'?: (boolean);
  'openapi'?: (boolean);
}

export interface ResponseOverrides__Output {
  'headers': (_portico_v1_HeaderEdits__Output | null);
  'rewriteLocation': (boolean);
  'openapi': (boolean);
}
