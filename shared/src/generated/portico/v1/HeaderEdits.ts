// Original file: proto/portico/v1/snapshot.proto


export interface HeaderEdits {
  'set'?: ({[key: string]: string});
  'add'?: ({[key: string]: string});
  'remove'?: (string)[];
  'replace'?: ({[key: string]: string});
  'hasReplace'?: (boolean);
}

export interface HeaderEdits__Output {
  'set': ({[key: string]: string});
  'add': ({[key: string]: string});
  'remove': (string)[];
  'replace': ({[key: string]: string});
  'hasReplace': (boolean);
}
