// Original file: proto/portico/v1/snapshot.proto


export interface RouteAuth {
  'mode'?: (string);
  'keys'?: (string)[];
}

export interface RouteAuth__Output {
  'mode': (string);
  'keys': (string)[];
}
