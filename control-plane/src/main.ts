// Control-plane wiring only. The runners (config watcher, prober, snapshot runner, gRPC publisher,
// Redis publisher) never import each other; they meet on the typed channels below, and start in
// the order listed in startControlPlane.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { HostPort } from '../../shared/src/address.js';
import type { LoadedConfig } from '../../shared/src/config/index.js';
import type { Logger } from '../../shared/src/logger.js';
import type { ControlPlaneMetrics } from '../../shared/src/metrics.js';
import { registerDashboardRoutes } from './admin/dashboard/routes.js';
import { registerControlPlaneRoutes, type AdminEvent, type StatusBody } from './admin/routes.js';
import { Channel } from './channel.js';
import { watchConfig, type ConfigWatcher } from './config/watch.js';
import { probeTargets } from './health/check.js';
import { HealthHistory } from './health/history.js';
import { Prober, type ProbeFn } from './health/prober.js';
import type { ConfigMessage, HealthMessage, SnapshotMessage } from './messages.js';
import { DataPlaneRegistry, type DataPlaneEntry } from './publish/data-planes.js';
import { LoadReports } from './publish/load-reports.js';
import type { EndpointLoad__Output } from '../../shared/src/generated/portico/v1/EndpointLoad.js';
import { startGrpcPublisher, type GrpcPublisher } from './publish/grpc-server.js';
import { startRedisPublisher, type RedisPublisher } from './publish/redis.js';
import { SnapshotRunner } from './snapshot/runner.js';
import { realTimers, type Timers } from './timers.js';

export type { SnapshotMessage } from './messages.js';

export interface ControlPlaneOptions {
  loaded: LoadedConfig;
  /** Environment for ${VAR} interpolation on reload. */
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  metrics: ControlPlaneMetrics;
  /** gRPC listener; omitted -> no gRPC (in-process and Redis only). */
  grpc?: HostPort;
  /** Watch the configuration file (default true). */
  watch?: boolean;
  timers?: Timers;
  random?: () => number;
  runId?: string;
  probe?: ProbeFn;
  /** Minimum gap between latency-only versions (default 5 s). */
  latencyIntervalMs?: number;
}

export interface ControlPlane {
  runId: string;
  grpcAddress: string | undefined;
  current(): SnapshotMessage | undefined;
  /** Every published version, in order; `current()` first when `replay` (default true). */
  subscribe(fn: (message: SnapshotMessage) => void, replay?: boolean): () => void;
  /** Lists an in-process data plane on /api/status (transport "in-process"). */
  attachDataPlane(id: string): DataPlaneEntry;
  /** An in-process data plane's load report (remote ones arrive over gRPC). */
  acceptLoadReport(id: string, endpoints: readonly EndpointLoad__Output[]): void;
  detachDataPlane(entry: DataPlaneEntry): void;
  status(): StatusBody;
  /** Adds /api/status, /api/events, /api/history and the dashboard (GET /) to an admin server. */
  registerAdminRoutes(app: FastifyInstance): void;
  /** True once a first snapshot has been published. */
  isReady(): boolean;
  reload(reason: string): boolean;
  close(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const { logger, metrics } = options;
  const timers = options.timers ?? realTimers;
  const random = options.random ?? Math.random;
  const runId = options.runId ?? randomUUID();
  const onError = (err: unknown) => logger.error({ err }, 'control-plane subscriber failed');

  // The channels: who publishes -> who listens.
  const configs = new Channel<ConfigMessage>(onError);    // watcher -> prober, snapshot runner, redis
  const health = new Channel<HealthMessage>(onError);     // prober -> snapshot runner, metrics, events
  const snapshots = new Channel<SnapshotMessage>(onError); // snapshot runner -> grpc, redis, in-process, events
  const events = new Channel<AdminEvent>(onError);         // -> /api/events

  // Connected data planes: counted in the gauge and listed in every snapshot (limit shares).
  const loadReports = new LoadReports(() => timers.now());
  const dataPlanes = new DataPlaneRegistry((n, ids) => {
    metrics.dataPlanesConnected.set(n);
    runner.setDataPlanes(ids);
  });
  metrics.dataPlanesConnected.set(0);

  // 1. Snapshot runner: owns config + health, produces versions.
  const runner = new SnapshotRunner({
    runId,
    timers,
    logger,
    publish: (m) => snapshots.publish(m),
    ...(options.latencyIntervalMs !== undefined ? { latencyIntervalMs: options.latencyIntervalMs } : {}),
  });
  snapshots.subscribe((m) => {
    metrics.snapshotVersion.set(m.version);
    events.publish({ type: 'snapshot', data: { version: m.version } });
  });

  // 2. Prober: results feed the runner, the gauges and the event stream (flips only).
  const prober = new Prober({ timers, random, logger, emit: (m) => health.publish(m), ...(options.probe ? { probe: options.probe } : {}) });
  health.subscribe((m) => runner.onHealth(m));
  // Bounded per-endpoint history (last hour, per minute) for the dashboard and /api/history.
  const history = new HealthHistory(() => timers.now());
  health.subscribe((m) => history.record(m));
  // Gauges move on flips; latency gauges are refreshed every few seconds rather than on each of
  // a thousand probes per second (metrics/refresh below).
  health.subscribe((m) => {
    if (!m.changed) return;
    const labels = { cluster: m.cluster, endpoint: m.endpoint };
    metrics.upstreamHealthy.set(labels, m.status === 'HEALTHY' ? 1 : 0);
    if (m.latencyMs > 0) metrics.probeLatency.set(labels, m.latencyMs / 1000);
    {
      events.publish({ type: 'health', data: { cluster: m.cluster, endpoint: m.endpoint, status: lower(m.status), latencyMs: round(m.latencyMs), at: m.lastCheck || new Date(timers.now()).toISOString() } });
    }
  });

  const refreshLatency = setInterval(() => {
    for (const { target, state } of prober.states().values()) {
      if (state.latencyMs > 0) metrics.probeLatency.set({ cluster: target.cluster, endpoint: target.endpoint }, state.latencyMs / 1000);
    }
  }, LATENCY_GAUGE_REFRESH_MS);
  refreshLatency.unref();

  // 3. Configuration flows to the prober first (so changed endpoints reset before the build),
  //    then to the runner (which publishes at once), then to the Redis publisher's settings.
  let redis: RedisPublisher | undefined;
  let redisChange: Promise<void> = Promise.resolve();
  const configureRedis = (loaded: LoadedConfig) => {
    const want = loaded.config.redis;
    if (redis && want && redis.url === want.url && redis.keyPrefix === want.keyPrefix) return;
    const old = redis;
    redis = want
      ? startRedisPublisher({ url: want.url, keyPrefix: want.keyPrefix, logger, random, snapshots, current: () => runner.current, dataPlanes })
      : undefined;
    if (old) redisChange = redisChange.then(() => old.close());
  };
  let knownEndpoints = new Set<string>();
  configs.subscribe(({ loaded }) => {
    const targets = probeTargets(loaded.config);
    prober.setTargets(targets);
    // Gauges of removed endpoints go away with them.
    const keep = new Set(targets.map((t) => t.key));
    for (const key of knownEndpoints) {
      if (keep.has(key)) continue;
      const [cluster, endpoint] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      metrics.upstreamHealthy.remove({ cluster, endpoint });
      metrics.probeLatency.remove({ cluster, endpoint });
    }
    knownEndpoints = keep;
    history.retain(keep);
  });
  configs.subscribe(({ loaded }) => runner.setConfig(loaded));
  configs.subscribe(({ loaded }) => configureRedis(loaded));
  configs.publish({ loaded: options.loaded });

  // 4. gRPC publisher: serves Watch once the first version exists.
  let grpc: GrpcPublisher | undefined;
  if (options.grpc) {
    grpc = await startGrpcPublisher({ listen: options.grpc, logger, timers, snapshots, current: () => runner.current, dataPlanes, loadReports });
  }

  // 5. Config watcher: last, so a change can only arrive once everything above is running.
  let watcher: ConfigWatcher | undefined;
  if (options.watch !== false) {
    watcher = watchConfig({
      path: options.loaded.path,
      env: options.env,
      initial: options.loaded,
      logger,
      metrics,
      timers,
      onConfig: (loaded) => configs.publish({ loaded }),
    });
  }

  const status = (): StatusBody => {
    const loaded = runner.config!;
    return {
      configVersion: loaded.version,
      snapshotVersion: runner.current?.version ?? 0,
      clusters: loaded.config.clusters.map((c) => ({
        name: c.name,
        balancer: c.balancer,
        endpoints: c.endpoints.map((e) => {
          const h = runner.healthOf(c.name, e.name!);
          const load = loadReports.view(c.name, e.name!);
          return {
            name: e.name!,
            url: e.url,
            status: lower(h?.status ?? 'UNKNOWN'),
            latencyMs: round(h?.latencyMs ?? 0),
            lastCheck: h?.lastCheck ? h.lastCheck : null,
            // Outlier ejection and load are decided by the data planes and reported here.
            ejected: load.ejected,
            inFlight: load.inFlight,
            saturated: load.saturated,
          };
        }),
      })),
      dataPlanes: dataPlanes.list(),
    };
  };

  let closed = false;
  return {
    runId,
    grpcAddress: grpc?.address,
    current: () => runner.current,
    subscribe(fn, replay = true) {
      const unsubscribe = snapshots.subscribe(fn);
      if (replay && runner.current) fn(runner.current);
      return unsubscribe;
    },
    attachDataPlane: (id) => dataPlanes.add(id, 'in-process', new Date(timers.now()).toISOString()),
    detachDataPlane: (entry) => dataPlanes.remove(entry),
    acceptLoadReport: (id, endpoints) => loadReports.accept(id, endpoints),
    status,
    registerAdminRoutes: (app) => {
      registerControlPlaneRoutes(app, {
        status,
        events,
        clearRouteCache: () => runner.clearRouteCache(),
        gatewayKeys: () => runner.config?.config.auth.keys ?? [],
      });
      registerDashboardRoutes(app, { status, history: (c, e) => history.get(c, e), now: () => timers.now() });
    },
    isReady: () => runner.current !== undefined && !closed,
    reload: (reason) => watcher?.reload(reason) ?? false,
    // Shutdown in reverse start order.
    async close() {
      if (closed) return;
      closed = true;
      watcher?.close();
      clearInterval(refreshLatency);
      await grpc?.close();
      const r = redis;
      redis = undefined;
      await redisChange;
      await r?.close();
      runner.close();
      await prober.close();
    },
  };
}

const LATENCY_GAUGE_REFRESH_MS = 5_000;

function lower(status: 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY'): 'unknown' | 'healthy' | 'unhealthy' {
  return status.toLowerCase() as 'unknown' | 'healthy' | 'unhealthy';
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
