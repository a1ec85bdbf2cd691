// Original file: proto/portico/v1/snapshot.proto


export interface Static {
  'root'?: (string);
  'spa'?: (boolean);
}

export interface Static__Output {
  'root': (string);
  'spa': (boolean);
}
