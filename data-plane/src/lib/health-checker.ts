// HealthChecker (SPEC §8): the control plane's prober, state machine and schedule
// (control-plane/src/health/) driven over a list of URLs instead of a configuration. The library is
// a composition root like bin/, so it may import both planes.
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { z } from 'zod';
import { configSchema, healthCheckOverrideSchema, type HealthCheckConfig, type HealthCheckOverride } from '../../../shared/src/config/schema.js';
import type { Logger } from '../../../shared/src/logger.js';
import type { HealthMessage } from '../../../control-plane/src/messages.js';
import { effectiveCheck, makeProbeTarget, type ProbeTarget } from '../../../control-plane/src/health/check.js';
import { Prober } from '../../../control-plane/src/health/prober.js';
import { realTimers, type Timers } from '../../../control-plane/src/timers.js';
import { resolveEndpoints, type Duration, type EndpointOptions, type ResolvedEndpoint } from './options.js';

/** How an endpoint is probed; every field defaults to SPEC §2 `healthCheck`. */
export interface HealthCheckOptions {
  /** Joined to the endpoint URL's path (default /health). */
  path?: string;
  method?: 'GET' | 'HEAD';
  /** Between probes (default 5s). */
  interval?: Duration;
  /** Connect + response (default 2s). */
  timeout?: Duration;
  /** Spread of each interval: 0.1 or "10%" (default 10%). */
  jitter?: number | string;
  /** Consecutive passes that make an unhealthy endpoint healthy (default 1). */
  healthyThreshold?: number;
  /** Consecutive failures that make a healthy endpoint unhealthy (default 2). */
  unhealthyThreshold?: number;
  /** Status, "200-399" or { min, max } (default 200-399). */
  expectedStatus?: number | string | { min: number; max: number };
}

/** An endpoint with its own probe settings (and, for a LoadBalancer over the checker, weight and key). */
export interface HealthCheckedEndpoint extends EndpointOptions, HealthCheckOptions {}

export interface HealthCheckerOptions extends HealthCheckOptions {
  /** Shown in log lines (default "health"). */
  name?: string;
  /** pino-compatible logger for health flips (default: silent). */
  logger?: Logger;
  /** Clock and timers (tests pass a fake one). */
  timers?: Timers;
  random?: () => number;
}

export type HealthState = 'healthy' | 'unhealthy' | 'unknown';

export interface EndpointStatus {
  name: string;
  url: string;
  status: HealthState;
  /** Smoothed probe latency, ms; 0 until measured. */
  latencyMs: number;
  /** ISO 8601 time of the last probe; undefined until probed. */
  lastCheck: string | undefined;
}

export interface HealthCheckerEvents {
  /** An endpoint's status flipped (thresholds applied); the first result counts as a flip. */
  change: [status: EndpointStatus, previous: HealthState];
  /** Every probe result. */
  probe: [status: EndpointStatus];
}

const HEALTH_DEFAULTS: HealthCheckConfig = configSchema.shape.healthCheck.parse({});

/** Library spellings (numbers for durations, fractions) -> the configuration's, then its schema. */
function parseCheck(o: HealthCheckOptions, what: string): HealthCheckOverride {
  const raw: Record<string, unknown> = {};
  if (o.path !== undefined) raw.path = o.path;
  if (o.method !== undefined) raw.method = o.method;
  if (o.interval !== undefined) raw.interval = typeof o.interval === 'number' ? `${o.interval}ms` : o.interval;
  if (o.timeout !== undefined) raw.timeout = typeof o.timeout === 'number' ? `${o.timeout}ms` : o.timeout;
  if (o.jitter !== undefined) raw.jitter = typeof o.jitter === 'number' ? `${o.jitter * 100}%` : o.jitter;
  if (o.healthyThreshold !== undefined) raw.healthyThreshold = o.healthyThreshold;
  if (o.unhealthyThreshold !== undefined) raw.unhealthyThreshold = o.unhealthyThreshold;
  if (o.expectedStatus !== undefined) {
    const s = o.expectedStatus;
    raw.expectedStatus = typeof s === 'object' ? `${s.min}-${s.max}` : s;
  }
  const parsed = healthCheckOverrideSchema.safeParse(raw);
  if (!parsed.success) throw new TypeError(`${what}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function toStatus(s: HealthMessage['status']): HealthState {
  return s === 'HEALTHY' ? 'healthy' : s === 'UNHEALTHY' ? 'unhealthy' : 'unknown';
}

/**
 * Probes every endpoint on its interval; the first round starts at once on `start()`. Status
 * flips follow the thresholds. `close()` stops it; `await using checker = new HealthChecker(...)`
 * closes it at the end of the scope.
 */
export class HealthChecker extends EventEmitter<HealthCheckerEvents> implements AsyncDisposable {
  /** The endpoints, in the order given, with their resolved names. */
  readonly endpoints: readonly ResolvedEndpoint[];
  private readonly targets: ProbeTarget[];
  private readonly statuses = new Map<string, EndpointStatus>();
  private readonly prober: Prober;
  private started: Promise<void> | undefined = undefined;
  private firstRound: (() => void) | undefined = undefined;
  private closed = false;

  constructor(endpoints: ReadonlyArray<string | HealthCheckedEndpoint>, options: HealthCheckerOptions = {}) {
    super();
    const group = options.name ?? 'health';
    this.endpoints = resolveEndpoints(endpoints, 'endpoints');
    const shared = parseCheck(options, 'health check options');
    this.targets = this.endpoints.map((e, i) => {
      const item = endpoints[i]!;
      const own = typeof item === 'string' ? {} : parseCheck(item, `endpoints[${i}]`);
      const check = effectiveCheck(HEALTH_DEFAULTS, shared, own);
      this.statuses.set(e.name, { name: e.name, url: e.url, status: 'unknown', latencyMs: 0, lastCheck: undefined });
      return makeProbeTarget({ key: e.name, cluster: group, endpoint: e.name, endpointUrl: e.url, check });
    });
    this.prober = new Prober({
      timers: options.timers ?? realTimers,
      random: options.random ?? Math.random,
      logger: options.logger ?? pino({ level: 'silent' }),
      emit: (m) => this.received(m),
    });
  }

  /**
   * Starts probing: every endpoint at once, then on its interval. Resolves when each endpoint
   * has its first result (at most one probe timeout); calling it again returns the same promise.
   */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('HealthChecker is closed'));
    this.started ??= new Promise<void>((resolve) => {
      // The prober's timers are unref'd (a server keeps a process alive, not its probes); a caller
      // awaiting the first round must be, or `await checker.start()` at a module's top level can
      // end the process with exit 13 before the first probe is even sent.
      const keepAlive = setInterval(() => undefined, 60_000);
      this.firstRound = () => {
        clearInterval(keepAlive);
        resolve();
      };
      this.prober.setTargets(this.targets);
    });
    return this.started;
  }

  /** Every endpoint's current status, in the order given. */
  status(): EndpointStatus[] {
    return this.endpoints.map((e) => ({ ...this.statuses.get(e.name)! }));
  }

  /** One endpoint's status by name (or URL). */
  get(nameOrUrl: string): EndpointStatus | undefined {
    const s = this.statuses.get(nameOrUrl) ?? [...this.statuses.values()].find((x) => x.url === nameOrUrl);
    return s === undefined ? undefined : { ...s };
  }

  /** Stops probing; statuses keep their last values. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.firstRound?.();
    this.firstRound = undefined;
    await this.prober.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private received(m: HealthMessage): void {
    const current = this.statuses.get(m.key);
    if (current === undefined || this.closed) return;
    const previous = current.status;
    const next: EndpointStatus = { name: current.name, url: current.url, status: toStatus(m.status), latencyMs: m.latencyMs, lastCheck: m.lastCheck || undefined };
    this.statuses.set(m.key, next);
    if (this.firstRound !== undefined && [...this.statuses.values()].every((s) => s.lastCheck !== undefined)) {
      const resolve = this.firstRound;
      this.firstRound = undefined;
      resolve();
    }
    if (m.changed) this.emit('change', { ...next }, previous);
    this.emit('probe', { ...next });
  }
}
