// The config watcher runner: watches the configuration file's DIRECTORY (a Kubernetes ConfigMap
// update swaps a `..data` symlink; editors and `mv` replace the file; `>` writes in place; none of
// these is reliably seen by watching the file itself) and re-reads on SIGHUP. Events are debounced;
// a slow poll of the content hash backs up fs.watch. A valid change is handed on; an invalid one is
// logged with its field paths and counted, and the running configuration stays.
import { createHash } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ConfigError, formatProblem, loadConfigFile, type LoadedConfig } from '../../../shared/src/config/index.js';
import type { Logger } from '../../../shared/src/logger.js';
import type { ControlPlaneMetrics } from '../../../shared/src/metrics.js';
import type { Timers } from '../timers.js';

export interface ConfigWatchOptions {
  path: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The configuration currently in force (its version is the content hash). */
  initial: LoadedConfig;
  logger: Logger;
  metrics: Pick<ControlPlaneMetrics, 'configReloads'>;
  timers: Timers;
  onConfig: (loaded: LoadedConfig) => void;
  debounceMs?: number;
  /** Backup poll of the file's content (default 5 s; 0 disables). */
  pollMs?: number;
  /** Re-read on SIGHUP (default true). */
  sighup?: boolean;
}

export interface ConfigWatcher {
  /** Re-reads now; resolves with whether a new configuration was accepted. */
  reload(reason: string): boolean;
  close(): void;
}

export function watchConfig(options: ConfigWatchOptions): ConfigWatcher {
  const { path, env, logger, metrics, timers } = options;
  let current = options.initial;
  /** Version of the last content that failed, so an unchanged bad file is reported once. */
  let lastFailed: string | undefined;
  let debounce: unknown;
  let closed = false;
  /** Hash of the bytes last read: an unchanged file is not parsed again (1,000 endpoints cost). */
  let lastRead = contentHash(path);

  const reload = (reason: string, forced = false): boolean => {
    if (closed) return false;
    const hash = contentHash(path);
    if (!forced && hash !== undefined && hash === lastRead) return false;
    lastRead = hash;
    let loaded: LoadedConfig;
    try {
      loaded = loadConfigFile(path, env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const signature = err.message;
      if (!forced && signature === lastFailed) return false;
      lastFailed = signature;
      metrics.configReloads.inc({ result: 'failure' });
      logger.error({
        reason,
        file: path,
        problems: err.problems.map((p) => ({ path: p.path, message: p.message, ...(p.line !== undefined ? { line: p.line } : {}) })),
      }, `configuration reload rejected; keeping version ${current.version}: ${err.problems.map(formatProblem).join('; ')}`);
      return false;
    }
    lastFailed = undefined;
    if (loaded.version === current.version && !forced) return false;
    metrics.configReloads.inc({ result: 'success' });
    for (const w of loaded.warnings) logger.warn({ path: w.path }, w.message);
    if (loaded.version === current.version) {
      logger.info({ reason, version: loaded.version }, 'configuration unchanged');
      return false;
    }
    logger.info({ reason, from: current.version, to: loaded.version }, 'configuration reloaded');
    current = loaded;
    options.onConfig(loaded);
    return true;
  };

  const schedule = (reason: string) => {
    if (closed) return;
    if (debounce !== undefined) timers.clearTimeout(debounce);
    debounce = timers.setTimeout(() => {
      debounce = undefined;
      reload(reason);
    }, options.debounceMs ?? 100);
  };

  // Only names that can change what the path reads: the file itself and Kubernetes' `..data`
  // swap (and its `..`-named temporaries). Other files in the folder, a log file written next to
  // the configuration say, would otherwise re-arm the debounce timer on every write (one event
  // per 4 KiB of access log in make bench's layout).
  const file = basename(path);
  const relevant = (name: string | Buffer | null): boolean => name === null || String(name) === file || String(name).startsWith('..');
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, name) => {
      if (relevant(name)) schedule('file changed');
    });
    watcher.on('error', (err) => logger.warn({ err: err.message }, 'config directory watch failed; polling only'));
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'cannot watch the config directory; polling only');
  }

  const pollMs = options.pollMs ?? 5_000;
  let poll: unknown;
  const arm = () => {
    if (pollMs <= 0 || closed) return;
    poll = timers.setTimeout(() => {
      reload('poll');
      arm();
    }, pollMs);
  };
  arm();

  const onHup = () => {
    logger.info('SIGHUP: re-reading configuration');
    reload('SIGHUP', true);
  };
  if (options.sighup !== false) process.on('SIGHUP', onHup);

  return {
    reload: (reason) => reload(reason, true),
    close() {
      closed = true;
      watcher?.close();
      if (debounce !== undefined) timers.clearTimeout(debounce);
      if (poll !== undefined) timers.clearTimeout(poll);
      process.off('SIGHUP', onHup);
    },
  };
}

function contentHash(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}
