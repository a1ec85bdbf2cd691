// Original file: proto/portico/v1/discovery.proto


export interface EndpointLoad {
  'cluster'?: (string);
  'endpoint'?: (string);
  'ejected'?: (boolean);
  'inFlight'?: (number);
  'saturated'?: (boolean);
}

export interface EndpointLoad__Output {
  'cluster': (string);
  'endpoint': (string);
  'ejected': (boolean);
  'inFlight': (number);
  'saturated': (boolean);
}
