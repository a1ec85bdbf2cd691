// Original file: proto/portico/v1/snapshot.proto


export interface RateLimit {
  'rps'?: (number | string);
  'burst'?: (number);
}

export interface RateLimit__Output {
  'rps': (number);
  'burst': (number);
}
