// The access-log line of one exchange. In the data-plane process it is built by one template
// and written straight to the logger's destination: pino's generic path (walking the object's
// keys, redaction, escaping each value) made the access log ~10% of a proxied request's CPU under
// load, and a schema-compiled serializer (fast-json-stringify) still cost ~0.9 KB of garbage per
// line in the pieces it joined (heap sampling, issue 2). The line is the one pino prints: level,
// time, the logger's bindings, the fields, msg. The record holds no header or query, so pino's
// redaction has nothing to do here.
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

/**
 * For a logger made by shared/src/logger.ts (default formatters and message key). Its bindings
 * are read once: the data plane's logger never changes them after it is made.
 */
export function directAccessLog(logger: Logger): AccessLog {
  const internals = logger as unknown as PinoInternals;
  const stream = internals[pino.symbols.streamSym];
  if (stream === undefined) return loggerAccessLog(logger);
  const time = internals[pino.symbols.timeSym];
  const head = `{"level":${logger.levels.values.info}`;
  const bindings = internals[pino.symbols.chindingsSym];
  return (r) => {
    if (!logger.isLevelEnabled('info')) return;
    const error = r.error === undefined ? '' : `,"error":"${escaped(r.error)}"`;
    stream.write(`${head}${time()}${bindings},"requestId":"${escaped(r.requestId)}","route":"${escaped(r.route)}","cluster":"${escaped(r.cluster)}","endpoint":"${escaped(r.endpoint)}","method":"${escaped(r.method)}","path":"${escaped(r.path)}","status":${r.status},"clientIp":"${escaped(r.clientIp)}","upstreamMs":${millis(r.upstreamMs)},"totalMs":${millis(r.totalMs)},"bytesIn":${r.bytesIn},"bytesOut":${r.bytesOut},"retries":${r.retries}${error},"msg":"request"}\n`);
  };
}

/** What JSON.stringify would change: control characters, `"`, `\`, anything past ASCII. */
const NEEDS_ESCAPING = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

/** JSON.stringify(text) without its quotes; the usual printable-ASCII names, paths and ids as they are. */
function escaped(text: string): string {
  return NEEDS_ESCAPING.test(text) ? JSON.stringify(text).slice(1, -1) : text;
}

/** ".803", ".8", ".05": the digits JSON prints after the point for a whole number of microseconds. */
const FRACTIONS = Array.from({ length: 1000 }, (_, f) => (f === 0 ? '' : `.${String(f).padStart(3, '0').replace(/0+$/, '')}`));

/**
 * String(ms) for durations already rounded to the microsecond (observe.ts), from integers: a
 * double's shortest round-trip digits (FastDtoa) took ~1.1k instructions of a request for the
 * two durations (callgrind, issue 2). Any other number takes the general path.
 */
function millis(ms: number): string {
  const us = Math.round(ms * 1000);
  if (us / 1000 !== ms || us < 0 || us > 0x7fffffff) return `${ms}`;
  const whole = (us / 1000) | 0;
  return `${whole}${FRACTIONS[us - whole * 1000]}`;
}
