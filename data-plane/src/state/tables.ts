// A snapshot compiled into the immutable tables the hot path reads. Built whole on every
// snapshot and installed with one assignment (state/store.ts); nothing here is mutated later,
// except the per-endpoint runtime counters, which live across snapshots on purpose.
import { BlockList, isIP } from 'node:net';
import type { Snapshot, SnapshotCluster, SnapshotEndpoint, SnapshotHeaderEdits, SnapshotRoute } from '../../../shared/src/snapshot/types.js';
import { createPicker } from '../balance/create.js';
import type { Picker } from '../balance/picker.js';
import type { RequestHeaderPlan, ResponseHeaderPlan } from '../proxy/headers.js';
import { compileMatcher, type RouteMatcher } from '../routing/route-matcher.js';
import { compileRewrite, type Rewriter } from '../routing/rewrite.js';
import { PayloadMatcher } from '../routing/payload.js';
import { configureRateLimit, type EndpointRuntime, type UpstreamRegistry } from './upstreams.js';
import { integerShare, rateShare } from '../limits/share.js';
import { KeySet } from '../../../shared/src/auth-keys.js';
import { CorsPolicy } from '../proxy/cors.js';

export class CompiledEndpoint {
  readonly name: string;
  readonly url: string;
  /** Path prefix of the endpoint URL without trailing "/" ("" for none). */
  readonly basePath: string;
  readonly origin: string;
  readonly weight: number;
  /** This plane's share of the endpoint's concurrency cap; Infinity when it has none. */
  readonly maxRequests: number;
  readonly status: SnapshotEndpoint['status'];
  readonly latencyMs: number;
  readonly lastCheck: string;
  /** Injected upstream header [name, value] for the backend key, if any. */
  readonly authHeader: readonly [string, string] | undefined;
  readonly runtime: EndpointRuntime;

  constructor(e: SnapshotEndpoint, runtime: EndpointRuntime, fleet: Fleet, now: number) {
    const url = new URL(e.url);
    this.name = e.name;
    this.url = e.url;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.origin = url.origin;
    this.weight = e.weight || 1;
    this.maxRequests = e.maxRequests === undefined ? Infinity : integerShare(e.maxRequests, fleet.planes, fleet.self);
    const rl = e.rateLimit;
    configureRateLimit(runtime, rl ? { rps: rateShare(rl.rps, fleet.planes, fleet.self), burst: Math.max(1, integerShare(rl.burst, fleet.planes, fleet.self)) } : undefined, now);
    this.status = e.status;
    this.latencyMs = e.latencyMs;
    this.lastCheck = e.lastCheck;
    this.authHeader = e.auth
      ? e.auth.header === 'x-api-key' ? ['x-api-key', e.auth.key] : ['authorization', `Bearer ${e.auth.key}`]
      : undefined;
    this.runtime = runtime;
  }
}

export class CompiledCluster {
  readonly name: string;
  readonly balancer: string;
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly retries: number;
  readonly outlierConsecutiveFailures: number;
  readonly outlierEjectionTimeMs: number;
  readonly endpoints: readonly CompiledEndpoint[];
  /** The endpoints balancing may use: the healthy ones, or the unknown ones when none is known healthy. */
  readonly candidates: readonly CompiledEndpoint[];
  readonly picker: Picker;

  constructor(c: SnapshotCluster, endpoints: CompiledEndpoint[], random: () => number) {
    this.name = c.name;
    this.balancer = c.balancer;
    this.timeoutMs = c.timeoutMs;
    this.idleTimeoutMs = c.idleTimeoutMs;
    this.retries = c.retries;
    this.outlierConsecutiveFailures = c.outlierConsecutiveFailures;
    this.outlierEjectionTimeMs = c.outlierEjectionTimeMs;
    this.endpoints = endpoints;
    const healthy = endpoints.filter((e) => e.status === 'HEALTHY');
    this.candidates = healthy.length > 0 ? healthy : endpoints.filter((e) => e.status === 'UNKNOWN');
    this.picker = createPicker(c.balancer, this.candidates, random);
  }
}

export class CompiledRoute {
  readonly name: string;
  readonly index: number;
  readonly matcher: RouteMatcher;
  /** JSON bodies that select this route; undefined when it has no payload matcher. */
  readonly payload: PayloadMatcher | undefined;
  readonly rewrite: Rewriter;
  readonly cluster: CompiledCluster | undefined;
  readonly methodOverride: string | undefined;
  readonly bodyOverride: string | undefined;
  readonly forwardQuery: boolean;
  readonly requestHeaders: RequestHeaderPlan;
  readonly responseHeaders: ResponseHeaderPlan;
  readonly rewriteLocation: boolean;
  readonly openapi: boolean;
  /** Keys that open this route; undefined when it needs none. */
  readonly keys: KeySet | undefined;
  readonly websocket: boolean;
  /** Files to serve instead of a cluster. */
  readonly static: { root: string; spa: boolean } | undefined;
  readonly source: SnapshotRoute;

  /** Effective CORS policy (route override or the gateway's); undefined adds no CORS headers. */
  readonly cors: CorsPolicy | undefined;

  constructor(r: SnapshotRoute, index: number, cluster: CompiledCluster | undefined, gatewayKeys: KeySet | undefined, gatewayCors: CorsPolicy | undefined) {
    this.name = r.name;
    this.index = index;
    this.matcher = compileMatcher(r);
    this.payload = r.match && r.match.payloadJson.length > 0 ? new PayloadMatcher(r.match.payloadJson) : undefined;
    this.rewrite = compileRewrite(r);
    this.cluster = cluster;
    // The builder always sets request and response; a decoded snapshot types them nullable.
    const request = r.request!;
    this.methodOverride = request.method;
    this.bodyOverride = request.body;
    this.forwardQuery = request.forwardQuery;
    this.requestHeaders = requestPlan(request.headers, request.body !== undefined);
    this.responseHeaders = responsePlan(r.response?.headers);
    this.rewriteLocation = r.response?.rewriteLocation ?? false;
    this.openapi = r.response?.openapi ?? false;
    const auth = r.auth;
    this.keys = auth?.mode === 'none' ? undefined : auth?.mode === 'keys' ? new KeySet(auth.keys) : gatewayKeys;
    this.websocket = r.websocket;
    this.static = r.static ? { root: r.static.root, spa: r.static.spa } : undefined;
    const cors = r.cors;
    this.cors = cors?.mode === 'off' ? undefined : cors?.mode === 'custom' && cors.cors ? new CorsPolicy(cors.cors) : gatewayCors;
    this.source = r;
  }
}

export interface Tables {
  readonly snapshot: Snapshot;
  readonly routes: readonly CompiledRoute[];
  readonly clusters: ReadonlyMap<string, CompiledCluster>;
  /** Sources whose X-Forwarded-For is believed; undefined when none is. */
  readonly trustProxy: BlockList | undefined;
  readonly maxHeaderSize: number;
  readonly statusEndpoints: boolean;
  readonly maxBufferedBody: number;
  /** The gateway keys (auth.keys); undefined when client auth is off. */
  readonly gatewayKeys: KeySet | undefined;
  readonly gatewayCors: CorsPolicy | undefined;
}

/** Who shares the fleet-wide limits: this plane's id and every connected plane's (sorted). */
export interface Fleet {
  self: string;
  planes: readonly string[];
}

export function compileTables(snapshot: Snapshot, upstreams: UpstreamRegistry, random: () => number, fleet: Fleet, now: number): { tables: Tables; inUse: Set<EndpointRuntime> } {
  const inUse = new Set<EndpointRuntime>();
  const clusters = new Map<string, CompiledCluster>();
  for (const c of snapshot.clusters) {
    const endpoints = c.endpoints.map((e) => {
      const runtime = upstreams.acquire(c.name, e.url, c.connectTimeoutMs);
      inUse.add(runtime);
      return new CompiledEndpoint(e, runtime, fleet, now);
    });
    clusters.set(c.name, new CompiledCluster(c, endpoints, random));
  }
  const gatewayKeys = snapshot.authKeys.length > 0 ? new KeySet(snapshot.authKeys) : undefined;
  const gw = snapshot.gateway;
  const gatewayCors = gw?.cors ? new CorsPolicy(gw.cors) : undefined;
  const routes = snapshot.routes.map((r, i) => new CompiledRoute(r, i, r.cluster ? clusters.get(r.cluster) : undefined, gatewayKeys, gatewayCors));
  const tables: Tables = {
    snapshot,
    routes,
    clusters,
    trustProxy: gw && gw.trustProxy.length > 0 ? blockList(gw.trustProxy) : undefined,
    maxHeaderSize: gw?.maxHeaderSize || 16 * 1024,
    statusEndpoints: gw?.statusEndpoints ?? true,
    maxBufferedBody: gw?.maxBufferedBody || 1024 * 1024,
    gatewayKeys,
    gatewayCors,
  };
  return { tables: Object.freeze(tables), inUse };
}

export function blockList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [addr, bits] = cidr.split('/') as [string, string | undefined];
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return list;
}

function pairs(map: Record<string, string>): Array<readonly [string, string]> {
  return Object.entries(map);
}

function requestPlan(h: SnapshotHeaderEdits | null | undefined, ownBody: boolean): RequestHeaderPlan {
  return {
    remove: new Set(h?.remove ?? []),
    set: pairs(h?.set ?? {}),
    add: pairs(h?.add ?? {}),
    replace: h?.hasReplace ? pairs(h.replace) : undefined,
    dropBodyFraming: ownBody,
  };
}

function responsePlan(h: SnapshotHeaderEdits | null | undefined): ResponseHeaderPlan {
  return { remove: new Set(h?.remove ?? []), set: pairs(h?.set ?? {}), add: pairs(h?.add ?? {}) };
}
