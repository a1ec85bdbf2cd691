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
  // Asynchronous writes (lines written while a write is pending go out together): a synchronous
  // write(2) per access-log line cost the hot path
  // ~7% of its CPU under load. Pending lines are flushed on shutdown (bin/lifecycle.ts) and
  // by pino on a normal exit; a crash may lose the last few kilobytes.
  return pino(base, pino.destination({ dest: 1, sync: false }));
}
