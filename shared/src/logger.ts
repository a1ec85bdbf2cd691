// pino everywhere; the logger is created once at the edge and passed down, never imported as a global.
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Human-readable lines (stdout is a terminal); JSON otherwise. */
  pretty: boolean;
  name?: string;
}

// Header and field names whose values are secrets: never logged, whatever the level.
const REDACT = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
];

export function createLogger(options: LoggerOptions): Logger {
  const base = { level: options.level, redact: { paths: REDACT, censor: '[redacted]' }, base: { pid: process.pid } };
  if (options.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  // Lines are buffered (2 KiB or 200 ms) and written asynchronously: under load a write per
  // access-log line, each a thread-pool round trip, cost the data plane ~10% of its CPU (perf,
  // issue 2). Each write holds whole lines and at most 4 KiB (PIPE_BUF), so the lines of
  // --workers processes sharing one stdout pipe never interleave mid-line. Pending lines are
  // flushed on shutdown (bin/lifecycle.ts) and by pino on exit; a crash may lose the last few.
  return pino(base, pino.destination({ dest: 1, sync: false, minLength: 2048, maxWrite: 4096, periodicFlush: 200 }));
}
