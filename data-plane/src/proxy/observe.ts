// The `logging` phase: one access-log line and the request metrics per exchange. Metric children
// are bound once per label set and cached here (see shared/src/hot-metrics.ts for why).
import { performance } from 'node:perf_hooks';
import type { CounterChild, HistogramChild } from '../../../shared/src/hot-metrics.js';
import type { Logger } from '../../../shared/src/logger.js';
import type { DataPlaneMetrics } from '../../../shared/src/metrics.js';
import { loggerAccessLog, type AccessLog, type ExchangeRecord } from './access-log.js';

// Durations are logged to the microsecond: printing a double's 15-17 digits cost ~1% of a
// request's CPU under load, for digits below the clock's real resolution.
function toMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** The meters of one (route, cluster) or (cluster, endpoint) pair, children bound once. */
class Meters {
  readonly codes: Array<CounterChild | undefined> = [];
  constructor(readonly duration: HistogramChild | undefined) {}
}

/** What the logging phase reads from an exchange (HTTP, WebSocket upgrade, library call). */
export interface ObservedExchange {
  readonly requestId: string;
  readonly req: { readonly method?: string | undefined };
  readonly start: number;
  readonly clientIp: string;
  readonly route: { readonly name: string } | undefined;
  readonly cluster: { readonly name: string } | undefined;
  readonly endpoint: { readonly name: string } | undefined;
  readonly path: string;
  readonly attempts: number;
  readonly upstreamMs?: number;
  readonly bytesIn?: number;
}

export class Observer {
  // Two-level maps keyed by names the tables already hold: no key strings built per request.
  private readonly routes = new Map<string, Map<string, Meters>>();
  private readonly endpoints = new Map<string, Map<string, Meters>>();

  constructor(
    private readonly logger: Logger,
    private readonly metrics: DataPlaneMetrics,
    private readonly accessLog: AccessLog = loggerAccessLog(logger),
  ) {}

  /** The logging phase of one exchange; `name` overrides route and cluster (library calls). */
  finished(x: ObservedExchange, status: number, bytesOut: number, error: string | undefined, name?: string): void {
    this.exchange({
      requestId: x.requestId,
      route: name ?? x.route?.name ?? '',
      cluster: name ?? x.cluster?.name ?? '',
      endpoint: x.endpoint?.name ?? '',
      method: x.req.method ?? '',
      path: x.path,
      status,
      clientIp: x.clientIp,
      upstreamMs: toMicros(x.upstreamMs ?? 0),
      totalMs: toMicros(performance.now() - x.start),
      bytesIn: x.bytesIn ?? 0,
      bytesOut,
      retries: x.attempts > 0 ? x.attempts - 1 : 0,
      error,
    });
  }

  exchange(r: ExchangeRecord): void {
    let byCluster = this.routes.get(r.route);
    if (byCluster === undefined) this.routes.set(r.route, (byCluster = new Map()));
    let m = byCluster.get(r.cluster);
    if (m === undefined) byCluster.set(r.cluster, (m = new Meters(this.metrics.requestDuration.child(r.route, r.cluster))));
    (m.codes[r.status] ??= this.metrics.requests.child(r.route, r.cluster, String(r.status))).inc();
    m.duration!.observe(r.totalMs / 1000);
    this.accessLog(r);
  }

  /**
   * A health change seen by this data plane alone: passive outlier detection took `endpoint` out
   * of rotation for `ejectionMs` (the control plane never hears of it). Logged at info, once per
   * ejection, like the control plane's "endpoint health changed".
   */
  ejected(cluster: string, endpoint: string, ejectionMs: number, consecutiveFailures: number): void {
    this.logger.info({ cluster, endpoint, ejectionMs, consecutiveFailures }, 'endpoint ejected (outlier detection)');
  }

  routeCache(hit: boolean): void {
    this.metrics.routeCacheRequests.child(hit ? 'hit' : 'miss').inc();
  }

  upstream(cluster: string, endpoint: string, status: number): void {
    let byEndpoint = this.endpoints.get(cluster);
    if (byEndpoint === undefined) this.endpoints.set(cluster, (byEndpoint = new Map()));
    let m = byEndpoint.get(endpoint);
    if (m === undefined) byEndpoint.set(endpoint, (m = new Meters(undefined)));
    (m.codes[status] ??= this.metrics.upstreamRequests.child(cluster, endpoint, String(status))).inc();
  }
}
