// Metric names and labels of SPEC §6, declared in one place for both planes. Label values are
// route, cluster and endpoint names from configuration only (bounded cardinality).
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { HotCounter, HotHistogram } from './hot-metrics.js';

// Proxy latencies live between 100 µs and tens of seconds; prom-client's defaults start at 5 ms.
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createRegistry(plane: 'control-plane' | 'data-plane' | 'all'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ plane });
  collectDefaultMetrics({ register: registry, prefix: 'portico_' });
  return registry;
}

/** `portico all` has both planes in one registry: a metric both declare is registered once. */
function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function dataPlaneMetrics(registry: Registry) {
  return {
    // Updated on every request: hot-path implementations (hot-metrics.ts), same exposition.
    requests: new HotCounter('portico_requests_total', 'Requests answered, by route, cluster and status code', ['route', 'cluster', 'code'], registry),
    requestDuration: new HotHistogram('portico_request_duration_seconds', 'Time from request to the end of the response', ['route', 'cluster'], LATENCY_BUCKETS, registry),
    upstreamRequests: new HotCounter('portico_upstream_requests_total', 'Requests sent upstream, by endpoint and status code', ['cluster', 'endpoint', 'code'], registry),
    websocketTunnels: new Gauge({ name: 'portico_websocket_tunnels', help: 'Open WebSocket tunnels', labelNames: ['route'] as const, registers: [registry] }),
    websocketMessages: new Counter({ name: 'portico_websocket_messages_total', help: 'WebSocket messages relayed, by route and direction (to_upstream|to_client)', labelNames: ['route', 'direction'] as const, registers: [registry] }),
    websocketBytes: new Counter({ name: 'portico_websocket_bytes_total', help: 'WebSocket message payload bytes relayed, by route and direction (to_upstream|to_client)', labelNames: ['route', 'direction'] as const, registers: [registry] }),
    snapshotVersion: once(registry, 'portico_snapshot_version', () => new Gauge({ name: 'portico_snapshot_version', help: 'Snapshot version this plane serves', aggregator: 'max', registers: [registry] })),
    routeCacheRequests: new HotCounter('portico_route_cache_requests_total', 'first-success route cache lookups', ['result'], registry),
  };
}
export type DataPlaneMetrics = ReturnType<typeof dataPlaneMetrics>;

export function controlPlaneMetrics(registry: Registry) {
  return {
    upstreamHealthy: new Gauge({ name: 'portico_upstream_healthy', help: '1 when the endpoint is healthy, 0 otherwise', labelNames: ['cluster', 'endpoint'] as const, registers: [registry] }),
    probeLatency: new Gauge({ name: 'portico_upstream_probe_latency_seconds', help: 'Smoothed health-probe latency', labelNames: ['cluster', 'endpoint'] as const, registers: [registry] }),
    dataPlanesConnected: new Gauge({ name: 'portico_data_planes_connected', help: 'Data planes connected to this control plane', registers: [registry] }),
    configReloads: new Counter({ name: 'portico_config_reloads_total', help: 'Configuration reloads by result', labelNames: ['result'] as const, registers: [registry] }),
    snapshotVersion: once(registry, 'portico_snapshot_version', () => new Gauge({ name: 'portico_snapshot_version', help: 'Snapshot version this plane serves', aggregator: 'max', registers: [registry] })),
  };
}
export type ControlPlaneMetrics = ReturnType<typeof controlPlaneMetrics>;
