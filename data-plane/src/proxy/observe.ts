// The `logging` phase: one access-log line and the request metrics per exchange. prom-client
// label lookups hash their arguments, so children are cached by their label values.
import type { Counter, Histogram } from 'prom-client';
import type { Logger } from '../../../shared/src/logger.js';
import type { DataPlaneMetrics } from '../../../shared/src/metrics.js';

export interface ExchangeRecord {
  requestId: string;
  route: string;
  cluster: string;
  endpoint: string;
  method: string;
  path: string;
  status: number;
  clientIp: string;
  upstreamMs: number;
  totalMs: number;
  bytesIn: number;
  bytesOut: number;
  retries: number;
  error: string | undefined;
}

export class Observer {
  private readonly requestCounters = new Map<string, Counter.Internal>();
  private readonly durations = new Map<string, Histogram.Internal<'route' | 'cluster'>>();
  private readonly upstreamCounters = new Map<string, Counter.Internal>();

  constructor(
    private readonly logger: Logger,
    private readonly metrics: DataPlaneMetrics,
  ) {}

  exchange(r: ExchangeRecord): void {
    const key = `${r.route}\u0000${r.cluster}`;
    const codeKey = `${key}\u0000${r.status}`;
    let counter = this.requestCounters.get(codeKey);
    if (!counter) {
      counter = this.metrics.requests.labels(r.route, r.cluster, String(r.status));
      this.requestCounters.set(codeKey, counter);
    }
    counter.inc();
    let histogram = this.durations.get(key);
    if (!histogram) {
      histogram = this.metrics.requestDuration.labels(r.route, r.cluster);
      this.durations.set(key, histogram);
    }
    histogram.observe(r.totalMs / 1000);
    if (this.logger.isLevelEnabled('info')) this.logger.info(r, 'request');
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
    this.metrics.routeCacheRequests.labels(hit ? 'hit' : 'miss').inc();
  }

  upstream(cluster: string, endpoint: string, status: number): void {
    const key = `${cluster}\u0000${endpoint}\u0000${status}`;
    let counter = this.upstreamCounters.get(key);
    if (!counter) {
      counter = this.metrics.upstreamRequests.labels(cluster, endpoint, String(status));
      this.upstreamCounters.set(key, counter);
    }
    counter.inc();
  }
}
