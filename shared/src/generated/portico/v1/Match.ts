// Original file: proto/portico/v1/snapshot.proto


export interface Match {
  'prefix'?: (string);
  'path'?: (string);
  'regex'?: (string);
  'methods'?: (string)[];
  'headers'?: ({[key: string]: string});
  'payloadJson'?: (string)[];
  'kind'?: "prefix"|"path"|"regex";
}

export interface Match__Output {
  'prefix'?: (string);
  'path'?: (string);
  'regex'?: (string);
  'methods': (string)[];
  'headers': ({[key: string]: string});
  'payloadJson': (string)[];
  'kind'?: "prefix"|"path"|"regex";
}
