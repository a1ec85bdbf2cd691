// Process-level concerns every command shares: the logger, config errors as exit 1, and the
// SIGTERM/SIGINT drain (close-with-grace runs the steps in order, once).
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfigFile, type LoadedConfig } from '../shared/src/config/index.js';
import { createLogger, type Logger } from '../shared/src/logger.js';
import type { CommonOptions } from './options.js';

export function processLogger(options: CommonOptions): Logger {
  return createLogger({ level: options.logLevel, pretty: process.stdout.isTTY === true });
}

/** Loads the configuration or exits 1 with every problem listed. */
export function loadConfigOrExit(path: string, logger: Logger): LoadedConfig {
  try {
    const loaded = loadConfigFile(path, process.env);
    for (const w of loaded.warnings) logger.warn({ path: w.path }, w.message);
    return loaded;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

// close-with-grace also listens to fault signals by default: a JS listener for SIGSEGV or SIGBUS
// turns a real fault into an endless storm of signals at 100% CPU instead of a crash.
const FAULT_SIGNALS = ['SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGSEGV'] as const;

/**
 * Runs `steps` in order on SIGTERM/SIGINT (and SIGHUP, unless the process reloads its
 * configuration on SIGHUP, SPEC §5); the process exits when they are done.
 */
export function onShutdown(logger: Logger, drainTimeoutMs: number, steps: Array<() => Promise<unknown>>, options: { sighupReloads?: boolean } = {}): void {
  const skip = options.sighupReloads === true ? [...FAULT_SIGNALS, 'SIGHUP' as const] : [...FAULT_SIGNALS];
  closeWithGrace({ delay: drainTimeoutMs + 5_000, skip }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'fatal error, shutting down');
    else logger.info({ signal }, 'draining');
    for (const step of steps) {
      try {
        await step();
      } catch (stepErr) {
        logger.error({ err: stepErr }, 'shutdown step failed');
      }
    }
    logger.info('stopped');
    // Buffered lines are written before the exit. JSON lines go out synchronously (a stuck stdout
    // holds this as it holds every write); the timer bounds the pretty printer's worker thread.
    await new Promise<void>((resolve) => {
      setTimeout(resolve, 1_000).unref();
      logger.flush(() => resolve());
    });
  });
}
