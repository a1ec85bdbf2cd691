// Original file: proto/portico/v1/snapshot.proto


export interface Rewrite {
  'stripPrefix'?: (boolean);
  'regex'?: (string);
  'replacement'?: (string);
}

export interface Rewrite__Output {
  'stripPrefix': (boolean);
  'regex': (string);
  'replacement': (string);
}
