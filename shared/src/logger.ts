// pino everywhere; the logger is created once at the edge and passed down, never imported as a global.
import { pino, type Logger, type LevelWithSilent } from 'pino';
import { LineBuffer } from './line-buffer.js';

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
    const pretty = pino.transport({ target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } });
    // The printer's worker dies when its terminal goes away (EIO) and the stream then reports it
    // once per write; unheard, that is an uncaught error and the gateway drains and exits. The
    // lines are lost instead, as line-buffer.ts loses them, and the process keeps serving.
    pretty.on('error', () => undefined);
    return pino(base, pretty);
  }
  // Lines are buffered (up to 4 KiB, or 200 ms) and written synchronously (line-buffer.ts says
  // why and how). Synchronous writes need a blocking stdout.
  blockingStdout();
  const destination = new LineBuffer(1);
  // Pending lines are flushed at exit and on shutdown (bin/lifecycle.ts); a SIGKILL loses them.
  process.once('exit', () => destination.flushSync());
  return pino(base, destination);
}

/**
 * Synchronous writes need a blocking stdout. Once process.stdout is touched, node makes a stdout
 * pipe non-blocking, and a full pipe then answers EAGAIN: the writer could only sleep and retry.
 * On a blocking pipe a write waits only until the reader catches up. Files and terminals have
 * nothing to change; setBlocking is the Pipe handle's own method (node uses it on Windows).
 */
function blockingStdout(): void {
  const handle = (process.stdout as unknown as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle;
  handle?.setBlocking?.(true);
}
