// The traffic listener's `upgrade` lifecycle: the same phases as HTTP (handler.ts), then the
// tunnel (tunnel-ws.ts) instead of forward-http.
//   request_filter   parse the target, header limit, a valid RFC 6455 handshake
//   route            first matching route (phases.ts); `websocket: false` -> 400 bad_request
//   authenticate     gateway key, removed before forwarding (phases.ts)
//   upstream_peer    the cluster's picker; an open tunnel counts in the endpoint's inFlight
//   upstream_request rewrite, overrides, X-Forwarded-*, X-Request-ID, backend key (phases.ts)
//   tunnel           upstream first, then the client handshake; connect failures go to another
//                    endpoint (up to `retries`), like HTTP
//   logging          one access-log line at the handshake (101 or the error), one at the close
//
// A route with `websocket: false` answers 400 bad_request (the route exists, so not 404; Envoy
// answers 403 for an upgrade it is not configured for, but 403 is not in SPEC §3.2's table).
import { performance } from 'node:perf_hooks';
import { ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Counter, Gauge } from 'prom-client';
import type { WebSocketServer } from 'ws';
import { PorticoError } from '../../../shared/src/errors.js';
import type { Logger } from '../../../shared/src/logger.js';
import type { DataPlaneMetrics } from '../../../shared/src/metrics.js';
import type { SnapshotStore } from '../state/store.js';
import type { CompiledCluster, CompiledEndpoint, CompiledRoute, Tables } from '../state/tables.js';
import { BaseExchange } from './exchange.js';
import type { Observer } from './observe.js';
import { authenticate, matchRoute, pickEndpoint, recordOutcome, upstreamHeaders, upstreamPath } from './phases.js';
import { requestIdOf } from './request-id.js';
import { parseTarget } from '../routing/target.js';
import {
  acceptClient, checkClientHandshake, connectUpstream, createClientAcceptor, DEFAULT_TUNNEL_LIMITS, handshakeHeaders,
  offeredProtocols, refuseClient, refuseWithError, Tunnel, TunnelCounters, type TunnelLimits,
} from './tunnel-ws.js';

export interface UpgradeDeps {
  store: SnapshotStore;
  observer: Observer;
  logger: Logger;
  tunnels: TunnelRegistry;
  clock: () => number;
  isDraining: () => boolean;
  /**
   * The HTTP handler, for upgrade requests that are not WebSocket (`Upgrade: h2c` from curl
   * --http2): with an 'upgrade' listener Node hands every Upgrade request here, but such a client
   * expects an ordinary HTTP/1.1 answer when the server does not switch.
   */
  http?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Overrides of the tunnel limits; idle and handshake timeouts come from the cluster. */
  limits?: Partial<Pick<TunnelLimits, 'maxPayload' | 'highWaterMark' | 'lowWaterMark'>>;
}

/** One upgrade's state across its phases. */
class Upgrade extends BaseExchange {
  constructor(
    req: IncomingMessage,
    readonly socket: Duplex,
    readonly head: Buffer,
    requestId: string,
    tables: Tables,
    clock: () => number,
  ) {
    super(req, requestId, tables, clock);
  }
}

/** A tunnel with what the registry and the logs need to know about it. */
class TunnelEntry {
  tunnel: Tunnel | undefined = undefined;
  constructor(
    readonly key: string,
    readonly route: string,
    readonly cluster: string,
    readonly endpoint: CompiledEndpoint,
    readonly requestId: string,
    readonly clientIp: string,
    readonly path: string,
  ) {}
}

interface RouteMetrics {
  counters: TunnelCounters;
  flushed: TunnelCounters;
  gauge: Gauge.Internal<'route'>;
  messagesToUpstream: Counter.Internal;
  messagesToClient: Counter.Internal;
  bytesToUpstream: Counter.Internal;
  bytesToClient: Counter.Internal;
}

/**
 * Every tunnel of this data plane: pending handshakes and open tunnels. Snapshot updates never
 * close tunnels; a tunnel closes (1001) when its own endpoint (cluster + URL) is no longer in the
 * configuration, and on shutdown once in-flight HTTP has drained.
 */
export class TunnelRegistry {
  /** Open tunnels by cluster + endpoint URL. */
  private readonly byEndpoint = new Map<string, Set<TunnelEntry>>();
  private readonly routes = new Map<string, RouteMetrics>();
  private openCount = 0;
  /** Upgrade requests between the route phase and the client handshake (their sockets count). */
  private pendingCount = 0;
  private closing = false;
  private flushTimer: NodeJS.Timeout | undefined = undefined;
  private emptied: (() => void) | undefined = undefined;

  constructor(private readonly metrics: DataPlaneMetrics, private readonly logger: Logger) {}

  get open(): number {
    return this.openCount;
  }

  /** Client sockets the tunnel owns (open + handshaking): they keep server.close() waiting. */
  get sockets(): number {
    return this.openCount + this.pendingCount;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** Closes tunnels whose endpoint left the configuration; every other tunnel stays open. */
  snapshotInstalled(tables: Tables): void {
    if (this.byEndpoint.size === 0) return;
    const present = new Set<string>();
    for (const cluster of tables.clusters.values()) {
      for (const e of cluster.endpoints) present.add(endpointKey(cluster.name, e.url));
    }
    for (const [key, entries] of this.byEndpoint) {
      if (present.has(key)) continue;
      for (const entry of entries) entry.tunnel?.close(1001, 'endpoint removed');
    }
  }

  pending(delta: 1 | -1): void {
    this.pendingCount += delta;
    this.maybeEmptied();
  }

  countersFor(route: string): TunnelCounters {
    return this.routeMetrics(route).counters;
  }

  add(entry: TunnelEntry, tunnel: Tunnel): void {
    entry.tunnel = tunnel;
    let set = this.byEndpoint.get(entry.key);
    if (!set) this.byEndpoint.set(entry.key, set = new Set());
    set.add(entry);
    this.openCount++;
    this.routeMetrics(entry.route).gauge.inc();
    this.flushTimer ??= setInterval(() => this.flush(), 1_000).unref();
    if (this.closing) tunnel.close(1001, 'shutting down');
  }

  remove(entry: TunnelEntry): void {
    const set = this.byEndpoint.get(entry.key);
    if (!set?.delete(entry)) return;
    if (set.size === 0) this.byEndpoint.delete(entry.key);
    this.openCount--;
    this.routeMetrics(entry.route).gauge.dec();
    if (this.openCount === 0 && this.flushTimer !== undefined) {
      clearInterval(this.flushTimer);
      this.flushTimer = undefined;
      this.flush();
    }
    this.maybeEmptied();
  }

  /**
   * The shutdown step: refuse new upgrades, wait until the only connections left on `server` are
   * tunnels (in-flight HTTP drained) or the deadline, close every tunnel with 1001, give the close
   * handshakes `closeGraceMs`, then drop what is left.
   */
  async drain(server: Server, deadline: number, closeGraceMs = 2_000): Promise<void> {
    this.closing = true;
    for (let i = 0; Date.now() < deadline && i < 1_000_000; i++) {
      const connections = await new Promise<number>((resolve) => server.getConnections((err, n) => resolve(err ? 0 : n)));
      if (connections <= this.sockets) break;
      await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
    }
    const all = this.entries();
    if (all.length > 0) this.logger.info({ tunnels: all.length }, 'closing WebSocket tunnels (1001)');
    for (const entry of all) entry.tunnel?.close(1001, 'shutting down');
    if (!(await this.whenEmpty(closeGraceMs))) {
      for (const entry of this.entries()) entry.tunnel?.terminate();
      await this.whenEmpty(1_000);
    }
    this.flush();
  }

  private entries(): TunnelEntry[] {
    const out: TunnelEntry[] = [];
    for (const set of this.byEndpoint.values()) for (const e of set) out.push(e);
    return out;
  }

  private whenEmpty(timeoutMs: number): Promise<boolean> {
    if (this.sockets === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.emptied = undefined;
        resolve(false);
      }, timeoutMs);
      this.emptied = () => {
        clearTimeout(timer);
        this.emptied = undefined;
        resolve(true);
      };
    });
  }

  private maybeEmptied(): void {
    if (this.sockets === 0) this.emptied?.();
  }

  private routeMetrics(route: string): RouteMetrics {
    let m = this.routes.get(route);
    if (!m) {
      const { websocketTunnels, websocketMessages, websocketBytes } = this.metrics;
      m = {
        counters: new TunnelCounters(),
        flushed: new TunnelCounters(),
        gauge: websocketTunnels.labels(route),
        messagesToUpstream: websocketMessages.labels(route, 'to_upstream'),
        messagesToClient: websocketMessages.labels(route, 'to_client'),
        bytesToUpstream: websocketBytes.labels(route, 'to_upstream'),
        bytesToClient: websocketBytes.labels(route, 'to_client'),
      };
      this.routes.set(route, m);
    }
    return m;
  }

  /**
   * Tunnels add to plain per-route numbers on every message; prom-client counters (which hash
   * their labels on every inc) get the deltas once a second and when the last tunnel closes.
   */
  flush(): void {
    for (const m of this.routes.values()) {
      const c = m.counters;
      const f = m.flushed;
      if (c.messagesToUpstream > f.messagesToUpstream) m.messagesToUpstream.inc(c.messagesToUpstream - f.messagesToUpstream);
      if (c.messagesToClient > f.messagesToClient) m.messagesToClient.inc(c.messagesToClient - f.messagesToClient);
      if (c.bytesToUpstream > f.bytesToUpstream) m.bytesToUpstream.inc(c.bytesToUpstream - f.bytesToUpstream);
      if (c.bytesToClient > f.bytesToClient) m.bytesToClient.inc(c.bytesToClient - f.bytesToClient);
      f.messagesToUpstream = c.messagesToUpstream;
      f.messagesToClient = c.messagesToClient;
      f.bytesToUpstream = c.bytesToUpstream;
      f.bytesToClient = c.bytesToClient;
    }
  }
}

function endpointKey(cluster: string, url: string): string {
  return `${cluster}\u0000${url}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function headerBytes(raw: string[]): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) n += raw[i]!.length + 2;
  return n;
}

/** ws:// (or wss://) origin of an endpoint + an origin-form path: the client never picks the host. */
export function websocketUrl(endpoint: CompiledEndpoint, path: string): string {
  const origin = new URL(endpoint.url);
  return `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}${path}`;
}

/**
 * Answers a non-WebSocket upgrade request as plain HTTP on its socket (the Upgrade header is
 * hop-by-hop and never forwarded). Node's parser stopped at the headers, so a request body cannot
 * be read: such requests get 400; the connection closes after the answer.
 */
function serveAsHttp(req: IncomingMessage, socket: Duplex, http: (req: IncomingMessage, res: ServerResponse) => void, requestId: string): void {
  const length = req.headers['content-length'];
  if ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined) {
    refuseWithError(socket, new PorticoError('BAD_REQUEST', 'a request body cannot accompany a non-WebSocket Upgrade'), requestId);
    return;
  }
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  res.once('finish', () => {
    res.detachSocket(socket as Socket);
    socket.end();
  });
  if (!req.complete) req.push(null);
  http(req, res);
}

export function createUpgradeHandler(deps: UpgradeDeps) {
  const { store, observer, logger, tunnels } = deps;
  const base: TunnelLimits = { ...DEFAULT_TUNNEL_LIMITS, ...deps.limits };
  const acceptor: WebSocketServer = createClientAcceptor(base);

  function record(x: Upgrade, status: number, error: string | undefined): void {
    observer.finished(x, status, 0, error);
  }

  function fail(x: Upgrade, err: PorticoError): void {
    refuseWithError(x.socket, err, x.requestId);
    record(x, err.status, err.message);
  }

  async function tunnel(x: Upgrade, route: CompiledRoute, cluster: CompiledCluster, protocols: string[]): Promise<void> {
    const limits: TunnelLimits = { ...base, idleTimeoutMs: cluster.idleTimeoutMs, handshakeTimeoutMs: cluster.timeoutMs || base.handshakeTimeoutMs };
    const abort = new AbortController();
    const onClose = () => abort.abort();
    x.socket.once('close', onClose);
    let lastFailure: PorticoError | undefined;
    try {
      for (;;) {
        const picked = pickEndpoint(cluster, x, x.tried);
        if (picked instanceof PorticoError) {
          // A retry that finds no other endpoint answers with the failure it was retrying.
          fail(x, lastFailure ?? picked);
          return;
        }
        const endpoint = picked;
        x.endpoint = endpoint;
        x.attempts++;
        const head = { req: x.req, tables: x.tables, route, endpoint, path: x.path, query: x.query, requestId: x.requestId, clientIp: x.clientIp, directIp: x.directIp, strip: x.strip };
        const runtime = endpoint.runtime;
        runtime.inFlight++;
        const attempt = await connectUpstream({
          url: websocketUrl(endpoint, upstreamPath(head)),
          headers: handshakeHeaders(upstreamHeaders(head)),
          protocols,
        }, limits, abort.signal);
        if (attempt.kind !== 'accepted') runtime.inFlight--;
        switch (attempt.kind) {
          case 'abandoned':
            record(x, 499, 'client closed request');
            x.socket.destroy();
            return;
          case 'refused':
            recordOutcome(cluster, endpoint, attempt.status >= 500, x.now, observer);
            observer.upstream(cluster.name, endpoint.name, attempt.status);
            refuseClient(x.socket, attempt.status, [...attempt.headers, 'x-request-id', x.requestId], attempt.body);
            record(x, attempt.status, undefined);
            return;
          case 'failed':
            recordOutcome(cluster, endpoint, true, x.now, observer);
            observer.upstream(cluster.name, endpoint.name, attempt.error.status);
            if (attempt.connectFailure && x.attempts <= cluster.retries) {
              lastFailure = attempt.error;
              (x.tried ??= []).push(endpoint);
              continue;
            }
            fail(x, attempt.error);
            return;
          case 'accepted': {
            recordOutcome(cluster, endpoint, false, x.now, observer);
            observer.upstream(cluster.name, endpoint.name, 101);
            x.socket.off('close', onClose);
            const entry = new TunnelEntry(endpointKey(cluster.name, endpoint.url), route.name, cluster.name, endpoint, x.requestId, x.clientIp, x.path);
            const opened = await acceptClient(acceptor, x.req, x.socket, x.head, attempt, limits, tunnels.countersFor(route.name), ['x-request-id', x.requestId], {
              closed: (t) => {
                runtime.inFlight--;
                tunnels.remove(entry);
                if (logger.isLevelEnabled('info')) {
                  logger.info({
                    requestId: entry.requestId, route: entry.route, cluster: entry.cluster, endpoint: entry.endpoint.name, path: entry.path,
                    clientIp: entry.clientIp, closedBy: t.initiator, code: t.closeCode, reason: t.closeReason,
                    durationMs: Math.round(performance.now() - t.openedAt),
                    messagesToUpstream: t.messagesToUpstream, bytesToUpstream: t.bytesToUpstream,
                    messagesToClient: t.messagesToClient, bytesToClient: t.bytesToClient,
                  }, 'websocket closed');
                }
              },
            });
            if (opened === undefined) {
              runtime.inFlight--;
              record(x, 499, 'client closed request');
              return;
            }
            tunnels.add(entry, opened);
            record(x, 101, undefined);
            return;
          }
        }
      }
    } finally {
      x.socket.off('close', onClose);
    }
  }

  return function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Until ws owns the socket, a client reset must not become an uncaught 'error'.
    socket.on('error', () => undefined);
    const requestId = requestIdOf(req);
    const tables = store.current;
    if (tables === undefined || deps.isDraining() || tunnels.isClosing) {
      refuseWithError(socket, new PorticoError('NO_HEALTHY_UPSTREAM', tables === undefined ? 'data plane is starting' : 'data plane is shutting down'), requestId);
      return;
    }
    if (deps.http !== undefined && req.headers.upgrade?.toLowerCase() !== 'websocket') {
      serveAsHttp(req, socket, deps.http, requestId);
      return;
    }
    const x = new Upgrade(req, socket, head, requestId, tables, deps.clock);

    // request_filter
    const target = parseTarget(req.url ?? '');
    if (target === undefined) {
      fail(x, new PorticoError('BAD_REQUEST', 'request target must be origin-form or absolute-form'));
      return;
    }
    x.path = target.path;
    x.query = target.query;
    if (headerBytes(req.rawHeaders) > tables.maxHeaderSize) {
      fail(x, new PorticoError('HEADERS_TOO_LARGE'));
      return;
    }
    const problem = checkClientHandshake(req);
    if (problem !== undefined) {
      fail(x, new PorticoError('BAD_REQUEST', problem));
      return;
    }

    // route
    // An upgrade has no body: routes that select by payload never match it.
    let route: CompiledRoute | undefined;
    for (let i = matchRoute(tables, req.method!, target.path, req.headers, 0); i !== -1; i = matchRoute(tables, req.method!, target.path, req.headers, i + 1)) {
      const candidate = tables.routes[i]!;
      if (candidate.payload === undefined) {
        route = candidate;
        break;
      }
    }
    if (route === undefined) {
      fail(x, new PorticoError('NO_ROUTE', `no route for ${req.method} ${target.path}`));
      return;
    }
    x.route = route;
    if (!route.websocket) {
      fail(x, new PorticoError('BAD_REQUEST', `route ${route.name} does not accept WebSocket upgrades`));
      return;
    }

    // authenticate
    const strip = authenticate(route, req.headers);
    if (strip instanceof PorticoError) {
      fail(x, strip);
      return;
    }
    x.strip = strip;
    const cluster = route.cluster;
    if (cluster === undefined) {
      fail(x, new PorticoError('NO_ROUTE', `route ${route.name} serves static files, not WebSockets`));
      return;
    }
    x.cluster = cluster;

    // upstream_peer .. tunnel
    tunnels.pending(1);
    tunnel(x, route, cluster, offeredProtocols(req)!).catch((err: unknown) => {
      logger.error({ err, requestId }, 'websocket upgrade failed');
      if (!socket.destroyed) fail(x, new PorticoError('UPSTREAM_ERROR', 'WebSocket tunnel failed', { cause: err }));
    }).finally(() => tunnels.pending(-1));
  };
}
