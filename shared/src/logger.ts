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
  '*.key',
  '*.apiKey',
];

export function createLogger(options: LoggerOptions): Logger {
  const base = { level: options.level, redact: { paths: REDACT, censor: '[redacted]' }, base: { pid: process.pid } };
  if (options.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return pino(base);
}
