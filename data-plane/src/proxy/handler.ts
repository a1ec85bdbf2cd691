// The traffic listener's request lifecycle, as named phases (Pingora's proxy phases):
//   request_filter   parse the target, status endpoints, header limits, CORS preflight
//   route            first matching route of the current tables       (phases.ts)
//   authenticate     gateway key, constant time                        (phases.ts)
//   upstream_peer    the cluster's picker, skipping unusable endpoints (phases.ts)
//   upstream_request rewrite, overrides, forwarded headers, backend key (phases.ts)
//   forward          stream both ways (forward-http.ts); connect failures go to another endpoint
//   logging          access log and metrics (observe.ts)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PorticoError } from '../../../shared/src/errors.js';
import type { PickContext } from '../balance/picker.js';
import type { SnapshotStore } from '../state/store.js';
import type { CompiledCluster, CompiledEndpoint, CompiledRoute, Tables } from '../state/tables.js';
import { clientIp, socketIp } from './client-ip.js';
import { isPreflight } from './cors.js';
import { forwardHttp, type BodyTransform, type UpstreamRequest } from './forward-http.js';
import { clientResponseHeaders, headerValue } from './headers.js';
import { rewriteLocation, rewriteOpenApi } from './prefixed-service.js';
import type { Observer } from './observe.js';
import { authenticate, matchRoute, pickEndpoint, upstreamHeaders, upstreamPath } from './phases.js';
import { requestIdOf } from './request-id.js';
import { sendError, sendJson } from './respond.js';
import { clusterStatusDocument, healthStatusDocument } from './status-endpoints.js';
import { checkKey } from './auth.js';
import { parseTarget } from '../routing/target.js';
import { serveStatic, staticRelativePath } from './static-files.js';
import type { MappedUpstreamError } from './upstream-errors.js';

export interface HandlerDeps {
  store: SnapshotStore;
  observer: Observer;
  /** Milliseconds; passed in so tests and balancers share one notion of time. */
  clock: () => number;
  isDraining: () => boolean;
}

/** One request's state across its phases. Every field is set in the constructor (one V8 shape). */
class Exchange implements PickContext {
  route: CompiledRoute | undefined = undefined;
  cluster: CompiledCluster | undefined = undefined;
  endpoint: CompiledEndpoint | undefined = undefined;
  path = '';
  query = '';
  upstreamStart = 0;
  upstreamMs = 0;
  bytesIn = 0;
  attempts = 0;
  tried: CompiledEndpoint[] | undefined = undefined;
  strip: ReadonlySet<string> | undefined = undefined;
  corsHeaders: string[] | undefined = undefined;
  readonly start: number;
  readonly now: number;
  readonly clientIp: string;
  readonly directIp: string;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly requestId: string,
    readonly tables: Tables,
    clock: () => number,
  ) {
    this.start = performance.now();
    this.now = clock();
    this.directIp = socketIp(req);
    this.clientIp = clientIp(req, this.directIp, tables.trustProxy);
  }
}

const STATUS_PREFIX = '/api/health/status';

export function createTrafficHandler(deps: HandlerDeps) {
  const { store, observer } = deps;

  function finish(x: Exchange, status: number, bytesOut: number, error: string | undefined): void {
    observer.exchange({
      requestId: x.requestId,
      route: x.route?.name ?? '',
      cluster: x.cluster?.name ?? '',
      endpoint: x.endpoint?.name ?? '',
      method: x.req.method ?? '',
      path: x.path,
      status,
      clientIp: x.clientIp,
      upstreamMs: x.upstreamMs,
      totalMs: performance.now() - x.start,
      bytesIn: x.bytesIn,
      bytesOut,
      retries: x.attempts > 0 ? x.attempts - 1 : 0,
      error,
    });
  }

  function fail(x: Exchange, err: PorticoError): void {
    sendError(x.res, err, x.requestId);
    finish(x, err.status, 0, err.message);
  }

  /** Answers the §4 status paths; returns false when the path is not one of them. */
  function statusEndpoint(x: Exchange): boolean {
    const path = x.path;
    const method = x.req.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    if (path === '/health') {
      sendJson(x.res, 200, { status: 'ok' }, x.requestId);
    } else if (path === '/ready') {
      const draining = deps.isDraining();
      sendJson(x.res, draining ? 503 : 200, { status: draining ? 'draining' : 'ready', snapshotVersion: x.tables.snapshot.version }, x.requestId);
    } else if (path === STATUS_PREFIX) {
      sendJson(x.res, 200, healthStatusDocument(x.tables), x.requestId);
    } else if (path.startsWith(`${STATUS_PREFIX}/`) && path.indexOf('/', STATUS_PREFIX.length + 1) === -1) {
      const auth = checkKey(x.tables.gatewayKeys, x.req.headers);
      if (!auth.ok) {
        fail(x, new PorticoError('UNAUTHORIZED', auth.message));
        return true;
      }
      const name = decodeURIComponent(path.slice(STATUS_PREFIX.length + 1));
      const cluster = x.tables.clusters.get(name);
      if (cluster === undefined) fail(x, new PorticoError('NO_ROUTE', `no cluster named ${name}`));
      else sendJson(x.res, 200, clusterStatusDocument(cluster, x.now), x.requestId);
    } else {
      return false;
    }
    return true;
  }

  /** Gateway-answered CORS preflight; true when answered. */
  function preflight(x: Exchange): boolean {
    const req = x.req;
    const requested = req.headers['access-control-request-method'] as string;
    const route = matchRoute(x.tables, requested.toUpperCase(), x.path, req.headers);
    const policy = route ? route.cors : x.tables.gatewayCors;
    if (policy === undefined) return false; // CORS off here: the upstream may answer OPTIONS itself
    x.route = route;
    const origin = req.headers.origin!;
    if (!policy.allows(origin)) {
      fail(x, new PorticoError('FORBIDDEN', `origin ${origin} is not allowed`));
      return true;
    }
    x.res.writeHead(204, { ...policy.preflightHeaders(origin), 'x-request-id': x.requestId, 'content-length': 0 });
    x.res.end();
    finish(x, 204, 0, undefined);
    return true;
  }

  function forward(x: Exchange, route: CompiledRoute, cluster: CompiledCluster): void {
    const picked = pickEndpoint(cluster, x, x.tried);
    if (picked instanceof PorticoError) {
      fail(x, picked);
      return;
    }
    const endpoint = picked;
    x.endpoint = endpoint;
    x.attempts++;
    const req = x.req;
    const head = { req, tables: x.tables, route, endpoint, path: x.path, query: x.query, requestId: x.requestId, clientIp: x.clientIp, directIp: x.directIp, strip: x.strip };
    let body: UpstreamRequest['body'] = null;
    if (route.bodyOverride !== undefined) body = route.bodyOverride;
    else if (hasBody(req)) body = req;
    const upstream: UpstreamRequest = {
      method: route.methodOverride ?? req.method!,
      path: upstreamPath(head),
      headers: upstreamHeaders(head),
      body,
      headersTimeout: cluster.timeoutMs,
      idleTimeout: cluster.idleTimeoutMs,
    };
    const runtime = endpoint.runtime;
    runtime.inFlight++;
    x.upstreamStart = performance.now();
    forwardHttp(runtime.pool, upstream, x.res, {
      responseHeaders: (status, raw) => {
        x.upstreamMs = performance.now() - x.upstreamStart;
        observer.upstream(cluster.name, endpoint.name, status);
        const headers = clientResponseHeaders(raw, route.responseHeaders, x.requestId);
        if (x.corsHeaders !== undefined) headers.push(...x.corsHeaders);
        if (route.rewriteLocation && route.matcher.prefix !== undefined) mapLocation(headers, route.matcher.prefix, endpoint);
        return headers;
      },
      transformBody: route.openapi && route.matcher.prefix !== undefined ? openApiTransform(route.matcher.prefix) : undefined,
      maxBuffered: x.tables.maxBufferedBody,
      done: (status, bytesOut, failure, headersSent) => {
        runtime.inFlight--;
        recordOutcome(x, cluster, endpoint, status, failure);
        if (!failure) {
          finish(x, status, bytesOut, undefined);
        } else if (failure.clientGone) {
          finish(x, 499, bytesOut, 'client closed request');
        } else if (headersSent) {
          finish(x, status, bytesOut, failure.error.message);
        } else if (retryable(x, cluster, failure, upstream)) {
          (x.tried ??= []).push(endpoint);
          forward(x, route, cluster);
        } else {
          if (x.upstreamMs === 0) x.upstreamMs = performance.now() - x.upstreamStart;
          observer.upstream(cluster.name, endpoint.name, failure.error.status);
          fail(x, failure.error);
        }
      },
    });
  }

  function recordOutcome(x: Exchange, cluster: CompiledCluster, endpoint: CompiledEndpoint, status: number, failure: MappedUpstreamError | undefined): void {
    if (failure?.clientGone) return;
    const rt = endpoint.runtime;
    if (failure || status >= 500) {
      // Passive outlier detection (Envoy consecutive_5xx): local to this process.
      if (++rt.consecutiveFailures >= cluster.outlierConsecutiveFailures) {
        rt.ejectedUntil = x.now + cluster.outlierEjectionTimeMs;
        rt.consecutiveFailures = 0;
      }
    } else {
      rt.consecutiveFailures = 0;
    }
  }

  function serveStaticRoute(x: Exchange, route: CompiledRoute): void {
    const site = route.static!;
    serveStatic(x.req, x.res, site, staticRelativePath(route.matcher.prefix, x.path), x.requestId).then(
      (outcome) => {
        if (outcome instanceof PorticoError) fail(x, outcome);
        else finish(x, outcome.status, outcome.bytes, undefined);
      },
      (err: unknown) => fail(x, new PorticoError('NO_ROUTE', 'not found', { cause: err })),
    );
  }

  return function handle(req: IncomingMessage, res: ServerResponse): void {
    const tables = store.current;
    const requestId = requestIdOf(req);
    if (tables === undefined) {
      const health = req.url === '/health';
      sendJson(res, health ? 200 : 503, { status: health ? 'ok' : 'starting' }, requestId);
      return;
    }
    const x = new Exchange(req, res, requestId, tables, deps.clock);

    // request_filter
    const target = parseTarget(req.url ?? '');
    if (target === undefined) {
      fail(x, new PorticoError('BAD_REQUEST', 'request target must be origin-form or absolute-form'));
      return;
    }
    x.path = target.path;
    x.query = target.query;
    if (tables.statusEndpoints && statusEndpoint(x)) return;
    if (headerBytes(req.rawHeaders) > tables.maxHeaderSize) {
      fail(x, new PorticoError('HEADERS_TOO_LARGE'));
      return;
    }
    const method = req.method!;
    if (isPreflight(method, req.headers) && preflight(x)) return;

    // route
    const route = matchRoute(tables, method, target.path, req.headers);
    if (route === undefined) {
      fail(x, new PorticoError('NO_ROUTE', `no route for ${method} ${target.path}`));
      return;
    }
    x.route = route;
    const origin = req.headers.origin;
    if (origin !== undefined && route.cors?.allows(origin)) x.corsHeaders = route.cors.responseHeaders(origin);

    // authenticate
    const strip = authenticate(route, req.headers);
    if (strip instanceof PorticoError) {
      fail(x, strip);
      return;
    }
    x.strip = strip;

    const cluster = route.cluster;
    if (cluster === undefined) {
      serveStaticRoute(x, route);
      return;
    }
    x.cluster = cluster;
    const length = req.headers['content-length'];
    if (length !== undefined) x.bytesIn = Number(length) || 0;
    forward(x, route, cluster);
  };
}

function mapLocation(headers: string[], prefix: string, endpoint: CompiledEndpoint): void {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i]!.toLowerCase() === 'location') headers[i + 1] = rewriteLocation(headers[i + 1]!, prefix, endpoint.origin, endpoint.basePath);
  }
}

function openApiTransform(prefix: string) {
  return (status: number, headers: string[]): BodyTransform | undefined => {
    if (status !== 200) return undefined;
    const type = headerValue(headers, 'content-type') ?? '';
    // A compressed body cannot be rewritten; it passes unchanged.
    if (!type.includes('json') || headerValue(headers, 'content-encoding') !== undefined) return undefined;
    return (body) => rewriteOpenApi(body, prefix);
  };
}

function hasBody(req: IncomingMessage): boolean {
  const cl = req.headers['content-length'];
  return (cl !== undefined && cl !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function retryable(x: Exchange, cluster: CompiledCluster, failure: MappedUpstreamError, upstream: UpstreamRequest): boolean {
  if (x.attempts > cluster.retries) return false;
  if (failure.connectFailure) return true;
  // Resets after the request went out: only when replaying cannot surprise the upstream.
  return failure.error.retryable && (upstream.body === null || typeof upstream.body === 'string') && IDEMPOTENT.has(upstream.method);
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

function headerBytes(raw: string[]): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) n += raw[i]!.length + 2;
  return n;
}
