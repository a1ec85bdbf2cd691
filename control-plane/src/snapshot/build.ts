// Configuration + health -> snapshot, as a pure function (Envoy Gateway's translator). The
// consistency check runs before anything is published, like go-control-plane's Consistent().
import type { Config, CorsConfig, HeaderEdits, RouteConfig } from '../../../shared/src/config/index.js';
import type { HealthStatus, SnapshotInput } from '../../../shared/src/snapshot/types.js';
import type { Cors } from '../../../shared/src/generated/portico/v1/Cors.js';
import type { HeaderEdits as WireHeaderEdits } from '../../../shared/src/generated/portico/v1/HeaderEdits.js';
import type { Route } from '../../../shared/src/generated/portico/v1/Route.js';

export interface EndpointHealth {
  status: HealthStatus;
  latencyMs: number;
  /** ISO 8601, empty until the first probe. */
  lastCheck: string;
}

/** Health keyed by `cluster/endpoint` name. */
export type HealthView = ReadonlyMap<string, EndpointHealth>;

export function healthKey(cluster: string, endpoint: string): string {
  return `${cluster}/${endpoint}`;
}

export interface SnapshotMeta {
  version: number;
  runId: string;
  configVersion: string;
  createdAt: string;
  /** Ids of the data planes this control plane feeds (fleet-wide limit shares). */
  dataPlanes?: readonly string[];
  /** Bumped to make every data plane forget its first-success decisions. */
  routeCacheEpoch?: number;
}

const UNKNOWN: EndpointHealth = { status: 'UNKNOWN', latencyMs: 0, lastCheck: '' };

export function buildSnapshot(config: Config, health: HealthView, meta: SnapshotMeta): SnapshotInput {
  return {
    version: meta.version,
    runId: meta.runId,
    configVersion: meta.configVersion,
    createdAt: meta.createdAt,
    gateway: {
      trustProxy: config.gateway.trustProxy === false ? [] : config.gateway.trustProxy,
      maxBufferedBody: config.gateway.maxBufferedBody,
      maxHeaderSize: config.gateway.maxHeaderSize,
      statusEndpoints: config.gateway.statusEndpoints,
      ...(config.gateway.cors ? { cors: cors(config.gateway.cors) } : {}),
    },
    authKeys: config.auth.keys,
    routeCache: { ttlMs: config.routeCache.ttl, maxEntries: config.routeCache.maxEntries },
    ...(config.redis ? { redis: { url: config.redis.url, keyPrefix: config.redis.keyPrefix } } : {}),
    clusters: config.clusters.map((c) => ({
      name: c.name,
      balancer: c.balancer,
      connectTimeoutMs: c.connectTimeout,
      timeoutMs: c.timeout,
      idleTimeoutMs: c.idleTimeout,
      retries: c.retries,
      outlierConsecutiveFailures: c.outlierDetection.consecutiveFailures,
      outlierEjectionTimeMs: c.outlierDetection.ejectionTime,
      endpoints: c.endpoints.map((e) => {
        const name = e.name!;
        const h = health.get(healthKey(c.name, name)) ?? UNKNOWN;
        return {
          name,
          url: e.url,
          weight: e.weight,
          ...(e.maxRequests !== undefined ? { maxRequests: e.maxRequests } : {}),
          ...(e.rateLimit ? { rateLimit: { rps: e.rateLimit.rps, burst: e.rateLimit.burst ?? Math.max(1, Math.ceil(e.rateLimit.rps)) } } : {}),
          ...(e.auth ? { auth: { key: e.auth.key, header: e.auth.header } } : {}),
          status: h.status,
          latencyMs: h.latencyMs,
          lastCheck: h.lastCheck,
        };
      }),
    })),
    routes: config.routes.map(route),
    dataPlanes: [...new Set(meta.dataPlanes ?? [])].sort(),
    routeCacheEpoch: meta.routeCacheEpoch ?? 0,
  };
}

function route(r: RouteConfig): Route {
  const m = r.match;
  return {
    name: r.name!,
    match: {
      ...(m.prefix !== undefined ? { prefix: m.prefix } : m.path !== undefined ? { path: m.path } : { regex: m.regex! }),
      methods: m.methods ?? [],
      headers: lowerKeys(m.headers ?? {}),
      payloadJson: (m.payload ?? []).map((p) => JSON.stringify(p)),
    },
    cluster: r.cluster ?? '',
    ...(r.static ? { static: { root: r.static.root, spa: r.static.spa } } : {}),
    ...(r.rewrite ? { rewrite: { stripPrefix: r.rewrite.stripPrefix ?? false, regex: r.rewrite.regex ?? '', replacement: r.rewrite.replacement ?? '' } } : {}),
    request: {
      ...(r.request.method !== undefined ? { method: r.request.method } : {}),
      ...(r.request.body !== undefined ? { body: r.request.body } : {}),
      forwardQuery: r.request.forwardQuery,
      headers: headerEdits(r.request.headers),
    },
    response: {
      headers: headerEdits(r.response.headers),
      rewriteLocation: r.response.rewriteLocation,
      openapi: r.response.openapi,
    },
    auth: typeof r.auth === 'string' ? { mode: r.auth, keys: [] } : { mode: 'keys', keys: r.auth.keys },
    websocket: r.websocket,
    cors: r.cors === 'inherit' ? { mode: 'inherit' } : r.cors === false ? { mode: 'off' } : { mode: 'custom', cors: cors(r.cors) },
  };
}

function cors(c: CorsConfig): Cors {
  return { origins: c.origins, methods: c.methods, headers: c.headers.map((h) => h.toLowerCase()), credentials: c.credentials, maxAgeMs: c.maxAge };
}

function headerEdits(edits: Partial<HeaderEdits> | undefined): WireHeaderEdits {
  return {
    set: lowerKeys(edits?.set ?? {}),
    add: lowerKeys(edits?.add ?? {}),
    remove: (edits?.remove ?? []).map((h) => h.toLowerCase()),
    replace: lowerKeys(edits?.replace ?? {}),
    hasReplace: edits?.replace !== undefined,
  };
}

function lowerKeys(map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) out[k.toLowerCase()] = v;
  return out;
}

/** Every name a snapshot refers to exists; run before publishing. Returns the problems found. */
export function checkConsistency(snapshot: SnapshotInput): string[] {
  const problems: string[] = [];
  const clusters = new Set((snapshot.clusters ?? []).map((c) => c.name));
  for (const r of snapshot.routes ?? []) {
    if (r.cluster && !clusters.has(r.cluster)) problems.push(`route ${r.name} names unknown cluster ${r.cluster}`);
    if (!r.cluster && !r.static) problems.push(`route ${r.name} has neither cluster nor static`);
  }
  for (const c of snapshot.clusters ?? []) {
    const names = new Set<string>();
    for (const e of c.endpoints ?? []) {
      if (names.has(e.name!)) problems.push(`cluster ${c.name} has duplicate endpoint ${e.name}`);
      names.add(e.name!);
    }
  }
  return problems;
}
