// Original file: proto/portico/v1/snapshot.proto


export interface EndpointAuth {
  'key'?: (string);
  'header'?: (string);
}

export interface EndpointAuth__Output {
  'key': (string);
  'header': (string);
}
