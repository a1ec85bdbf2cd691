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
  // Lines are buffered (up to ~4 KiB, or 200 ms) and written synchronously, one write(2) per
  // buffer, like NGINX's access log. Asynchronous writes each took a thread-pool round trip:
  // with the data plane on one CPU that was two context switches per write, and the access log
  // took 13.6 µs of CPU per proxied request in a V8 profile under load, 8.6 µs now (issue 2).
  // Each write holds whole lines and at most 4 KiB (PIPE_BUF), so the lines of --workers
  // processes sharing one stdout pipe never interleave mid-line. A stalled reader of stdout
  // stalls the process, as it would NGINX.
  blockingStdout();
  const destination = pino.destination({ dest: 1, sync: true, minLength: 4000, maxWrite: 4096, periodicFlush: 200 });
  // pino flushes only asynchronous destinations at exit; this one holds up to 4 KiB too. Pending
  // lines are also flushed on shutdown (bin/lifecycle.ts); a SIGKILL loses them.
  process.once('exit', () => destination.flushSync());
  return pino(base, destination);
}

/**
 * Synchronous writes need a blocking stdout. Once process.stdout is touched, node makes a stdout
 * pipe non-blocking, and sonic-boom answers EAGAIN by sleeping 100 ms with the event loop held.
 * On a blocking pipe a write waits only until the reader catches up. Files and terminals have
 * nothing to change; setBlocking is the Pipe handle's own method (node uses it on Windows).
 */
function blockingStdout(): void {
  const handle = (process.stdout as unknown as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle;
  handle?.setBlocking?.(true);
}
