// Flags shared by the commands (SPEC §1). Every flag also reads PORTICO_<FLAG> from the environment.
import { InvalidArgumentError, Option } from 'commander';
import { parseHostPort, type HostPort } from '../shared/src/address.js';
// Type imports only from the planes: every command, validate and convert too, loads this file.
import type { DataPlaneOptions } from '../data-plane/src/main.js';
import { LOG_LEVELS, type Logger } from '../shared/src/logger.js';
import type { DataPlaneMetrics } from '../shared/src/metrics.js';
import { parseDuration } from '../shared/src/config/units.js';

function hostPort(value: string): HostPort {
  const parsed = parseHostPort(value);
  if (!parsed) throw new InvalidArgumentError(`expected HOST:PORT, got "${value}"`);
  return parsed;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number >= 1, got "${value}"`);
  return n;
}

function duration(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError(`expected a duration such as 10s, got "${value}"`);
  return ms;
}

const env = (flag: string) => `PORTICO_${flag.toUpperCase().replace(/-/g, '_')}`;

export const opt = {
  config: () => new Option('-c, --config <file>', 'configuration file (YAML)').env(env('config')).makeOptionMandatory(),
  listen: () => new Option('--listen <host:port>', 'data-plane traffic listener').env(env('listen')).argParser(hostPort).default(hostPort('0.0.0.0:8080'), '0.0.0.0:8080'),
  admin: (fallback: string) => new Option('--admin <host:port>', 'admin listener (/healthz, /readyz, /metrics)').env(env('admin')).argParser(hostPort).default(hostPort(fallback), fallback),
  grpc: () => new Option('--grpc <host:port>', 'control-plane gRPC listener').env(env('grpc')).argParser(hostPort).default(hostPort('0.0.0.0:18000'), '0.0.0.0:18000'),
  logLevel: () => new Option('--log-level <level>', 'log level').env(env('log-level')).choices(LOG_LEVELS).default('info'),
  drainTimeout: () => new Option('--drain-timeout <duration>', 'how long SIGTERM waits for in-flight requests').env(env('drain-timeout')).argParser(duration).default(10_000, '10s'),
  headersTimeout: () => new Option('--headers-timeout <duration>', 'time a client has to send its request headers (slow clients get 408)').env(env('headers-timeout')).argParser(duration).default(15_000, '15s'),
  workers: () => new Option('--workers <n>', 'worker processes sharing the traffic listener').env(env('workers')).argParser(positiveInt).default(1),
  id: () => new Option('--id <name>', 'data-plane identity (default hostname-pid)').env(env('id')),
  snapshotFile: () => new Option('--snapshot-file <path>', 'persist the last snapshot and start from it when the control plane is unreachable').env(env('snapshot-file')),
  controlPlane: () => new Option('--control-plane <host:port>', 'control plane gRPC address').env(env('control-plane')),
  redis: () => new Option('--redis <url>', 'read snapshots from Redis instead of gRPC').env(env('redis')),
};

export interface CommonOptions {
  logLevel: (typeof LOG_LEVELS)[number];
}

/** The data-plane flags every command that runs a data plane takes (`all`, `data-plane`, its workers). */
export interface DataPlaneFlags {
  listen: HostPort;
  drainTimeout: number;
  headersTimeout: number;
}

/** startDataPlane's settings from those flags; the caller adds its identity. */
export function dataPlaneSettings(flags: DataPlaneFlags, logger: Logger, metrics: DataPlaneMetrics): DataPlaneOptions {
  return {
    listen: flags.listen,
    logger,
    metrics,
    drainTimeoutMs: flags.drainTimeout,
    headersTimeoutMs: flags.headersTimeout,
  };
}
