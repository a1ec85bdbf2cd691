// LoadBalancer (SPEC §8): one cluster of the data plane, fed by a HealthChecker or a static list.
// Picking is the cluster's own picker (balance/), HTTP goes through the gateway's forward phase
// (proxy/forward-cluster.ts: retries, first-success with its route cache, outlier detection,
// Location/OpenAPI rewriting), WebSockets through the tunnel core (proxy/tunnel-ws.ts). Health
// changes rebuild the compiled cluster and install it with one assignment, as a snapshot would.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { WebSocketServer } from 'ws';
import { PorticoError } from '../../../shared/src/errors.js';
import type { Logger } from '../../../shared/src/logger.js';
import { dataPlaneMetrics } from '../../../shared/src/metrics.js';
import { segmentPrefix } from '../../../shared/src/config/semantics.js';
import type { Balancer } from '../../../shared/src/config/schema.js';
import type { Snapshot, SnapshotCluster } from '../../../shared/src/snapshot/types.js';
import type { PickContext } from '../balance/picker.js';
import { blockList, CompiledCluster, CompiledEndpoint, type CompiledRoute, type Tables } from '../state/tables.js';
import { UpstreamRegistry } from '../state/upstreams.js';
import { RouteCacheHolder } from '../state/route-cache.js';
import { clientIp, socketIp } from '../proxy/client-ip.js';
import { Exchange } from '../proxy/exchange.js';
import { createClusterForwarder } from '../proxy/forward-cluster.js';
import { Observer } from '../proxy/observe.js';
import { pickEndpoint, upstreamHeaders, upstreamPath } from '../proxy/phases.js';
import { requestIdOf } from '../proxy/request-id.js';
import { sendError } from '../proxy/respond.js';
import {
  acceptClient, checkClientHandshake, connectUpstream, createClientAcceptor, DEFAULT_TUNNEL_LIMITS, handshakeHeaders,
  offeredProtocols, refuseClient, refuseWithError, type Tunnel, type TunnelLimits,
} from '../proxy/tunnel-ws.js';
import { websocketUrl } from '../proxy/upgrade.js';
import { parseTarget } from '../routing/target.js';
import { HealthChecker, type EndpointStatus, type HealthState } from './health-checker.js';
import { compileRoute, resolveEndpoints, toBytes, toMs, wireEndpoint, type Duration, type EndpointOptions, type ProxyOptions, type ResolvedEndpoint } from './options.js';

export type { Balancer };

export interface LoadBalancerOptions {
  /** A HealthChecker (its endpoints, weights and keys; unhealthy ones are skipped) or a static list. */
  endpoints: HealthChecker | ReadonlyArray<string | EndpointOptions>;
  /** SPEC §3.3 (default round-robin). */
  balancer?: Balancer;
  /** Name in log lines and metrics (default "upstream"). */
  name?: string;
  /** Extra attempts on another endpoint after a connect failure (default 1; see SPEC §3.5). */
  retries?: number;
  connectTimeout?: Duration;
  /** Until response headers (default 30s); also the WebSocket handshake timeout. */
  timeout?: Duration;
  /** Between body chunks / WebSocket frames (default 5m). */
  idleTimeout?: Duration;
  /** Local ejection after consecutive 5xx/connect failures (default 5 for 30s); false turns it off. */
  outlierDetection?: { consecutiveFailures?: number; ejectionTime?: Duration } | false;
  /** Client IP from X-Forwarded-For only when the socket address is in these CIDRs (default: never). */
  trustProxy?: readonly string[] | false;
  /** Bodies buffered for first-success and retries (default 1mb). */
  maxBufferedBody?: number | string;
  /** first-success decisions: in memory, or in Redis when `redis` is set (default 10m, 100,000 entries). */
  routeCache?: { ttl?: Duration; maxEntries?: number; redis?: string; keyPrefix?: string };
  /** Largest WebSocket message (default 16mb). */
  maxWebSocketMessage?: number | string;
  /** pino-compatible logger: one line per proxied request (default: silent). */
  logger?: Logger;
  random?: () => number;
  clock?: () => number;
}

/** What a proxied request came to. The client has been answered in every case. */
export interface ProxyResult {
  /** Status sent to the client; 499 when the client went away first. */
  status: number;
  /** Endpoint that answered (or was tried last); undefined when none was picked. */
  endpoint: string | undefined;
  /** Endpoints tried (1 unless a retry happened). */
  attempts: number;
  bytesOut: number;
  /** Set when Portico answered with its own JSON error (SPEC §3.2) or the exchange broke. */
  error: PorticoError | undefined;
}

/** An open WebSocket tunnel. */
export interface ProxiedWebSocket {
  /** The subprotocol the upstream chose ('' for none). */
  readonly protocol: string;
  readonly endpoint: string;
  /** Resolves when both sides are closed. */
  readonly closed: Promise<{ code: number; reason: string; closedBy: 'client' | 'upstream' | 'proxy' }>;
  /** Closes both sides with this code (default 1001). */
  close(code?: number, reason?: string): void;
  /** Drops both connections without a close handshake. */
  terminate(): void;
}

/** The picked endpoint, as `pick()` reports it. */
export interface PickedEndpoint {
  name: string;
  url: string;
  weight: number;
  status: HealthState;
  latencyMs: number;
  inFlight: number;
}

const EMPTY: ProxyOptions = Object.freeze({});
const FLEET = { self: 'lib', planes: [] as string[] };

/** An Exchange that knows how to report its end to the caller's promise. */
class LibraryExchange extends Exchange {
  error: PorticoError | undefined = undefined;
  constructor(req: IncomingMessage, res: ServerResponse, requestId: string, tables: Tables, clock: () => number, readonly settle: (r: ProxyResult) => void) {
    super(req, res, requestId, tables, clock);
  }
}

function wireStatus(s: HealthState): 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN' {
  return s === 'healthy' ? 'HEALTHY' : s === 'unhealthy' ? 'UNHEALTHY' : 'UNKNOWN';
}

function viewStatus(s: CompiledEndpoint['status']): HealthState {
  return s === 'HEALTHY' ? 'healthy' : s === 'UNHEALTHY' ? 'unhealthy' : 'unknown';
}

export class LoadBalancer implements AsyncDisposable {
  readonly name: string;
  readonly balancer: Balancer;
  private readonly endpointsSpec: readonly ResolvedEndpoint[];
  private readonly checker: HealthChecker | undefined;
  private readonly wire: Omit<SnapshotCluster, 'endpoints'>;
  private readonly upstreams = new UpstreamRegistry();
  private readonly routeCache = new RouteCacheHolder();
  private readonly tables: Tables;
  private readonly observer: Observer;
  private readonly forward: (x: Exchange, route: CompiledRoute, cluster: CompiledCluster) => void;
  private readonly acceptor: WebSocketServer;
  private readonly limits: TunnelLimits;
  private readonly random: () => number;
  private readonly clock: () => number;
  private readonly routes = new WeakMap<ProxyOptions, { cluster: CompiledCluster; route: CompiledRoute }>();
  private readonly tunnels = new Set<Tunnel>();
  private readonly onProbe: ((s: EndpointStatus) => void) | undefined;
  /** The compiled cluster the hot path reads; replaced whole when health changes. */
  private cluster: CompiledCluster;
  private closed = false;
  private closing: Promise<void> | undefined = undefined;

  constructor(options: LoadBalancerOptions) {
    const endpoints = options.endpoints;
    this.checker = endpoints instanceof HealthChecker ? endpoints : undefined;
    this.endpointsSpec = this.checker ? this.checker.endpoints : resolveEndpoints(endpoints as ReadonlyArray<string | EndpointOptions>, 'endpoints');
    this.name = options.name ?? 'upstream';
    this.balancer = options.balancer ?? 'round-robin';
    const retries = options.retries ?? 1;
    if (!Number.isInteger(retries) || retries < 0) throw new TypeError('retries must be a whole number >= 0');
    const outlier = options.outlierDetection;
    this.wire = {
      name: this.name,
      balancer: this.balancer,
      connectTimeoutMs: toMs(options.connectTimeout, 2_000, 'connectTimeout'),
      timeoutMs: toMs(options.timeout, 30_000, 'timeout'),
      idleTimeoutMs: toMs(options.idleTimeout, 300_000, 'idleTimeout'),
      retries,
      outlierConsecutiveFailures: outlier === false ? Infinity : outlier?.consecutiveFailures ?? 5,
      outlierEjectionTimeMs: outlier === false ? 0 : toMs(outlier?.ejectionTime, 30_000, 'outlierDetection.ejectionTime'),
    };
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? Date.now;
    const logger = options.logger ?? pino({ level: 'silent' });
    // Metrics go to a private registry: the forward phase counts upstream answers and cache hits.
    this.observer = new Observer(logger, dataPlaneMetrics(new Registry()));
    const rc = options.routeCache;
    this.routeCache.update({
      redisUrl: rc?.redis,
      keyPrefix: rc?.keyPrefix ?? 'portico:',
      ttlMs: toMs(rc?.ttl, 600_000, 'routeCache.ttl'),
      maxEntries: rc?.maxEntries ?? 100_000,
      epoch: 0,
    });
    const trust = options.trustProxy;
    this.tables = Object.freeze({
      // The forward phase never reads the snapshot itself; these tables hold what it does read.
      snapshot: Object.freeze({}) as Snapshot,
      routes: [],
      clusters: new Map(),
      trustProxy: trust && trust.length > 0 ? blockList(trust) : undefined,
      maxHeaderSize: 256 * 1024,
      statusEndpoints: false,
      maxBufferedBody: toBytes(options.maxBufferedBody, 1024 * 1024, 'maxBufferedBody'),
      gatewayKeys: undefined,
      gatewayCors: undefined,
    });
    this.forward = createClusterForwarder({
      observer: this.observer,
      routeCache: this.routeCache,
      clock: this.clock,
      finish: (x, status, bytesOut, error) => this.finish(x as LibraryExchange, status, bytesOut, error),
      fail: (x, err) => {
        (x as LibraryExchange).error = err;
        sendError(x.res, err, x.requestId);
        this.finish(x as LibraryExchange, err.status, 0, err.message);
      },
    });
    this.limits = {
      ...DEFAULT_TUNNEL_LIMITS,
      maxPayload: toBytes(options.maxWebSocketMessage, DEFAULT_TUNNEL_LIMITS.maxPayload, 'maxWebSocketMessage'),
      idleTimeoutMs: this.wire.idleTimeoutMs,
      handshakeTimeoutMs: this.wire.timeoutMs || DEFAULT_TUNNEL_LIMITS.handshakeTimeoutMs,
    };
    this.acceptor = createClientAcceptor(this.limits);
    this.cluster = this.compile();
    if (this.checker) {
      // Latency-aware balancers need every probe's latency; the others only status flips.
      const latencyAware = this.balancer === 'least-latency' || this.balancer === 'least-request';
      this.onProbe = (s) => {
        const current = this.cluster.endpoints.find((e) => e.name === s.name);
        if (current === undefined || viewStatus(current.status) !== s.status || (latencyAware && current.latencyMs !== s.latencyMs)) {
          this.cluster = this.compile();
        }
      };
      this.checker.on('probe', this.onProbe);
    } else {
      this.onProbe = undefined;
    }
  }

  /** Builds the cluster from the endpoints and their current health; runtimes (pools, counters) are kept. */
  private compile(): CompiledCluster {
    const now = this.clock();
    const endpoints = this.endpointsSpec.map((spec) => {
      const health = this.checker?.get(spec.name);
      // A static list has no health information: its endpoints count as healthy.
      const wire = wireEndpoint(spec, health ? wireStatus(health.status) : 'HEALTHY', health?.latencyMs ?? 0, health?.lastCheck ?? '');
      return new CompiledEndpoint(wire, this.upstreams.acquire(this.name, spec.url, this.wire.connectTimeoutMs), FLEET, now);
    });
    return new CompiledCluster({ ...this.wire, endpoints: [] }, endpoints, this.random);
  }

  private routeFor(options: ProxyOptions): CompiledRoute {
    const cluster = this.cluster;
    const cached = this.routes.get(options);
    if (cached !== undefined && cached.cluster === cluster) return cached.route;
    const route = compileRoute(options, cluster, this.name);
    this.routes.set(options, { cluster, route });
    return route;
  }

  private context(req: IncomingMessage): PickContext {
    const direct = socketIp(req);
    return { now: this.clock(), clientIp: clientIp(req, direct, this.tables.trustProxy) };
  }

  /** The endpoint the balancer would use for this request now (advances round-robin state). */
  pick(req: IncomingMessage): PickedEndpoint | undefined {
    const e = this.cluster.picker.pick(this.context(req));
    return e === undefined ? undefined : view(e);
  }

  /** Every endpoint with its health and load, in the order given. */
  endpoints(): PickedEndpoint[] {
    return this.cluster.endpoints.map(view);
  }

  /**
   * Forwards one HTTP request to an endpoint the balancer picks, with the overrides in `options`,
   * streaming both ways. Connect failures move to another endpoint (up to `retries`);
   * first-success tries endpoints in order until one answers 2xx. The client is always answered
   * (SPEC §3.2 JSON errors when Portico cannot reach an upstream); the promise never rejects
   * except for invalid options.
   */
  proxyPass(req: IncomingMessage, res: ServerResponse, options: ProxyOptions = EMPTY): Promise<ProxyResult> {
    return new Promise<ProxyResult>((resolve) => {
      const route = this.routeFor(options);
      const cluster = route.cluster!;
      const x = new LibraryExchange(req, res, requestIdOf(req), this.tables, this.clock, resolve);
      x.route = route;
      x.cluster = cluster;
      if (this.closed) {
        x.error = new PorticoError('NO_HEALTHY_UPSTREAM', `load balancer ${this.name} is closed`);
        sendError(res, x.error, x.requestId);
        this.finish(x, x.error.status, 0, x.error.message);
        return;
      }
      if (!this.target(x, req, options)) return;
      const length = req.headers['content-length'];
      if (length !== undefined) x.bytesIn = Number(length) || 0;
      this.forward(x, route, cluster);
    });
  }

  /** Path and query of the upstream request; false when the client was answered with an error. */
  private target(x: LibraryExchange, req: IncomingMessage, options: ProxyOptions): boolean {
    const client = parseTarget(req.url ?? '/');
    const given = options.path === undefined ? undefined : parseTarget(options.path.startsWith('/') ? options.path : `/${options.path}`);
    const t = given ?? client;
    if (t === undefined || client === undefined) {
      x.error = new PorticoError('BAD_REQUEST', 'request target must be origin-form or absolute-form');
      sendError(x.res, x.error, x.requestId);
      this.finish(x, x.error.status, 0, x.error.message);
      return false;
    }
    x.path = t.path;
    x.query = given !== undefined && options.path!.includes('?') ? given.query : client.query;
    const prefix = options.prefix;
    if (prefix !== undefined && !segmentPrefix(prefix, x.path)) {
      x.error = new PorticoError('NO_ROUTE', `${x.path} is not under ${prefix}`);
      sendError(x.res, x.error, x.requestId);
      this.finish(x, x.error.status, 0, x.error.message);
      return false;
    }
    return true;
  }

  private finish(x: LibraryExchange, status: number, bytesOut: number, error: string | undefined): void {
    this.observer.finished(x, status, bytesOut, error, this.name);
    x.settle({ status, endpoint: x.endpoint?.name, attempts: x.attempts, bytesOut, error: x.error });
  }

  /**
   * Tunnels one WebSocket upgrade (call it from the server's `upgrade` event): the upstream
   * WebSocket is opened first, offering the client's subprotocols, and the client handshake is
   * completed with the upstream's choice. Connect failures move to another endpoint (up to
   * `retries`); a refusal passes the upstream's status to the client. Resolves with the open
   * tunnel, or undefined when the client was answered with an error or went away.
   */
  async proxyWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, options: ProxyOptions = EMPTY): Promise<ProxiedWebSocket | undefined> {
    socket.on('error', () => undefined);
    const requestId = requestIdOf(req);
    const route = this.routeFor(options);
    const cluster = route.cluster!;
    const ctx = this.context(req);
    const client = parseTarget(req.url ?? '/');
    const given = options.path === undefined ? undefined : parseTarget(options.path.startsWith('/') ? options.path : `/${options.path}`);
    const t = given ?? client;
    if (this.closed) {
      refuseWithError(socket, new PorticoError('NO_HEALTHY_UPSTREAM', `load balancer ${this.name} is closed`), requestId);
      return undefined;
    }
    if (t === undefined || client === undefined) {
      refuseWithError(socket, new PorticoError('BAD_REQUEST', 'request target must be origin-form or absolute-form'), requestId);
      return undefined;
    }
    const query = given !== undefined && options.path!.includes('?') ? given.query : client.query;
    if (options.prefix !== undefined && !segmentPrefix(options.prefix, t.path)) {
      refuseWithError(socket, new PorticoError('NO_ROUTE', `${t.path} is not under ${options.prefix}`), requestId);
      return undefined;
    }
    const problem = checkClientHandshake(req);
    if (problem !== undefined) {
      refuseWithError(socket, new PorticoError('BAD_REQUEST', problem), requestId);
      return undefined;
    }
    const protocols = offeredProtocols(req)!;
    const abort = new AbortController();
    const onClose = () => abort.abort();
    socket.once('close', onClose);
    const tried: CompiledEndpoint[] = [];
    let lastFailure: PorticoError | undefined;
    try {
      for (let attempts = 1; ; attempts++) {
        const picked = pickEndpoint(cluster, ctx, tried);
        if (picked instanceof PorticoError) {
          refuseWithError(socket, lastFailure ?? picked, requestId);
          return undefined;
        }
        const endpoint = picked;
        const headInput = { req, tables: this.tables, route, endpoint, path: t.path, query, requestId, clientIp: ctx.clientIp, directIp: socketIp(req), strip: undefined };
        const runtime = endpoint.runtime;
        runtime.inFlight++;
        const attempt = await connectUpstream({
          url: websocketUrl(endpoint, upstreamPath(headInput)),
          headers: handshakeHeaders(upstreamHeaders(headInput)),
          protocols,
        }, this.limits, abort.signal);
        if (attempt.kind !== 'accepted') runtime.inFlight--;
        switch (attempt.kind) {
          case 'abandoned':
            socket.destroy();
            return undefined;
          case 'refused':
            refuseClient(socket, attempt.status, [...attempt.headers, 'x-request-id', requestId], attempt.body);
            return undefined;
          case 'failed':
            if (attempt.connectFailure && attempts <= cluster.retries) {
              lastFailure = attempt.error;
              tried.push(endpoint);
              continue;
            }
            refuseWithError(socket, attempt.error, requestId);
            return undefined;
          case 'accepted': {
            socket.off('close', onClose);
            let resolveClosed!: (v: { code: number; reason: string; closedBy: 'client' | 'upstream' | 'proxy' }) => void;
            const closed = new Promise<{ code: number; reason: string; closedBy: 'client' | 'upstream' | 'proxy' }>((r) => { resolveClosed = r; });
            const tunnel = await acceptClient(this.acceptor, req, socket, head, attempt, this.limits, undefined, ['x-request-id', requestId], {
              closed: (tn) => {
                runtime.inFlight--;
                this.tunnels.delete(tn);
                resolveClosed({ code: tn.closeCode, reason: tn.closeReason, closedBy: tn.initiator ?? 'proxy' });
              },
            });
            if (tunnel === undefined) {
              runtime.inFlight--;
              return undefined;
            }
            this.tunnels.add(tunnel);
            if (this.closed) tunnel.close(1001, 'shutting down');
            return {
              protocol: tunnel.protocol,
              endpoint: endpoint.name,
              closed,
              close: (code = 1001, reason = '') => tunnel.close(code, reason),
              terminate: () => tunnel.terminate(),
            };
          }
        }
      }
    } finally {
      socket.off('close', onClose);
    }
  }

  /**
   * Closes open tunnels (1001), stops listening to the HealthChecker (which stays open: it is
   * yours) and closes idle upstream connections; in-flight requests finish first.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    if (this.onProbe) this.checker?.off('probe', this.onProbe);
    for (const t of this.tunnels) t.close(1001, 'shutting down');
    this.acceptor.close();
    await Promise.all([this.upstreams.close(), this.routeCache.close()]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function view(e: CompiledEndpoint): PickedEndpoint {
  return { name: e.name, url: e.url, weight: e.weight, status: viewStatus(e.status), latencyMs: e.latencyMs, inFlight: e.runtime.inFlight };
}
