// Original file: proto/portico/v1/discovery.proto


export interface ReportAck {
}

export interface ReportAck__Output {
}
