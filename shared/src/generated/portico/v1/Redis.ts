// Original file: proto/portico/v1/snapshot.proto


export interface Redis {
  'url'?: (string);
  'keyPrefix'?: (string);
}

export interface Redis__Output {
  'url': (string);
  'keyPrefix': (string);
}
