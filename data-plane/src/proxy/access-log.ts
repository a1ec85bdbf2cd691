// The access-log line of one exchange. In the data-plane process it is serialized by a function
// compiled from its schema (fast-json-stringify) and written straight to the logger's destination:
// pino's generic path (walking the object's keys, redaction, escaping each value) made the access
// log ~10% of a proxied request's CPU under load (perf, issue 2). The line is the one pino prints:
// level, time, the logger's bindings, the fields, msg. The record holds no header or query, so
// pino's redaction has nothing to do here.
import build from 'fast-json-stringify';
import { pino } from 'pino';
import type { Logger } from '../../../shared/src/logger.js';

export interface ExchangeRecord {
  requestId: string;
  route: string;
  cluster: string;
  endpoint: string;
  method: string;
  path: string;
  status: number;
  clientIp: string;
  upstreamMs: number;
  totalMs: number;
  bytesIn: number;
  bytesOut: number;
  retries: number;
  error: string | undefined;
}

export type AccessLog = (r: ExchangeRecord) => void;

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const serializeFields = build({
  type: 'object',
  properties: {
    requestId: str, route: str, cluster: str, endpoint: str, method: str, path: str, status: int, clientIp: str,
    upstreamMs: num, totalMs: num, bytesIn: int, bytesOut: int, retries: int, error: str,
  },
  required: ['requestId'],
});

/** For any pino-compatible logger (the library's callers bring their own). */
export function loggerAccessLog(logger: Logger): AccessLog {
  return (r) => {
    if (logger.isLevelEnabled('info')) logger.info(r, 'request');
  };
}

interface PinoInternals {
  [pino.symbols.streamSym]?: { write(line: string): unknown };
  [pino.symbols.timeSym]: () => string;
  [pino.symbols.chindingsSym]: string;
}

/** For a logger made by shared/src/logger.ts (default formatters and message key). */
export function directAccessLog(logger: Logger): AccessLog {
  const internals = logger as unknown as PinoInternals;
  const stream = internals[pino.symbols.streamSym];
  if (stream === undefined) return loggerAccessLog(logger);
  const time = internals[pino.symbols.timeSym];
  const head = `{"level":${logger.levels.values.info}`;
  return (r) => {
    if (!logger.isLevelEnabled('info')) return;
    // serializeFields gives {"requestId":...}: its fields go between the head and msg.
    const fields = serializeFields(r);
    stream.write(`${head}${time()}${internals[pino.symbols.chindingsSym]},${fields.slice(1, -1)},"msg":"request"}\n`);
  };
}
