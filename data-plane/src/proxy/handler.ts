// The traffic listener's request lifecycle, as named phases (Pingora's proxy phases):
//   request_filter   parse the target, status endpoints, header limits
//   route            first matching route of the current tables
//   upstream_peer    the cluster's picker, skipping unusable endpoints
//   upstream_request rewrite, overrides, forwarded headers, injected key
//   forward          stream both ways (forward-http.ts); connect failures go to another endpoint
//   logging          access log and metrics (observe.ts)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PorticoError } from '../../../shared/src/errors.js';
import type { CompiledCluster, CompiledEndpoint, CompiledRoute, Tables } from '../state/tables.js';
import type { SnapshotStore } from '../state/store.js';
import type { PickContext } from '../balance/picker.js';
import { clientIp, isTrusted, socketIp } from './client-ip.js';
import { forwardHttp, type UpstreamRequest } from './forward-http.js';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers.js';
import type { Observer } from './observe.js';
import { requestIdOf } from './request-id.js';
import { sendError, sendJson } from './respond.js';
import { parseTarget } from '../routing/target.js';
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

const STATUS_PATHS = new Set(['/health', '/ready']);

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

  function upstreamPeer(x: Exchange, cluster: CompiledCluster): CompiledEndpoint | PorticoError {
    const exclude = x.tried === undefined ? undefined : (e: CompiledEndpoint) => x.tried!.includes(e);
    const endpoint = cluster.picker.pick(x, exclude);
    if (endpoint) return endpoint;
    if (cluster.candidates.length === 0) return new PorticoError('NO_HEALTHY_UPSTREAM', `no healthy endpoint in cluster ${cluster.name}`);
    const saturated = cluster.candidates.some((e) => e.maxRequests > 0 && e.runtime.inFlight >= e.maxRequests);
    return saturated
      ? new PorticoError('UPSTREAM_SATURATED', `every endpoint of cluster ${cluster.name} is at its concurrency limit`)
      : new PorticoError('NO_HEALTHY_UPSTREAM', `no usable endpoint in cluster ${cluster.name}`);
  }

  function upstreamRequest(x: Exchange, route: CompiledRoute, cluster: CompiledCluster, endpoint: CompiledEndpoint): UpstreamRequest {
    const req = x.req;
    const rewritten = route.rewrite(x.path);
    const path = endpoint.basePath + rewritten + (route.forwardQuery && x.query !== '' ? `?${x.query}` : '');
    const headers = upstreamRequestHeaders(req.rawHeaders, route.requestHeaders, {
      clientIp: x.clientIp,
      proto: 'http',
      host: req.headers.host,
      requestId: x.requestId,
      trustedHop: isTrusted(x.directIp, x.tables.trustProxy),
    }, undefined);
    if (endpoint.authHeader) headers.push(endpoint.authHeader[0], endpoint.authHeader[1]);
    const method = route.methodOverride ?? req.method!;
    let body: UpstreamRequest['body'] = null;
    if (route.bodyOverride !== undefined) body = route.bodyOverride;
    else if (hasBody(req)) body = req;
    return { method, path, headers, body, headersTimeout: cluster.timeoutMs, idleTimeout: cluster.idleTimeoutMs };
  }

  function forward(x: Exchange, route: CompiledRoute, cluster: CompiledCluster): void {
    const picked = upstreamPeer(x, cluster);
    if (picked instanceof PorticoError) {
      fail(x, picked);
      return;
    }
    const endpoint = picked;
    x.endpoint = endpoint;
    x.attempts++;
    const upstream = upstreamRequest(x, route, cluster, endpoint);
    const runtime = endpoint.runtime;
    runtime.inFlight++;
    x.upstreamStart = performance.now();
    forwardHttp(runtime.pool, upstream, x.res, {
      responseHeaders: (status, raw) => {
        x.upstreamMs = performance.now() - x.upstreamStart;
        observer.upstream(cluster.name, endpoint.name, status);
        return clientResponseHeaders(raw, route.responseHeaders, x.requestId);
      },
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

  return function handle(req: IncomingMessage, res: ServerResponse): void {
    const tables = store.current;
    const requestId = requestIdOf(req);
    if (tables === undefined) {
      sendJson(res, req.url === '/health' ? 200 : 503, req.url === '/health' ? { status: 'ok' } : { status: 'starting' }, requestId);
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
    if (tables.statusEndpoints && STATUS_PATHS.has(target.path) && (req.method === 'GET' || req.method === 'HEAD')) {
      if (target.path === '/health') sendJson(res, 200, { status: 'ok' }, requestId);
      else sendJson(res, deps.isDraining() ? 503 : 200, { status: deps.isDraining() ? 'draining' : 'ready', snapshotVersion: tables.snapshot.version }, requestId);
      return;
    }
    if (headerBytes(req.rawHeaders) > tables.maxHeaderSize) {
      fail(x, new PorticoError('HEADERS_TOO_LARGE'));
      return;
    }

    // route
    const method = req.method!;
    const routes = tables.routes;
    let route: CompiledRoute | undefined;
    for (let i = 0; i < routes.length; i++) {
      if (routes[i]!.matcher.matches(method, target.path, req.headers)) {
        route = routes[i];
        break;
      }
    }
    if (route === undefined) {
      fail(x, new PorticoError('NO_ROUTE', `no route for ${method} ${target.path}`));
      return;
    }
    x.route = route;
    const cluster = route.cluster;
    if (cluster === undefined) {
      fail(x, new PorticoError('NO_ROUTE', `route ${route.name} serves static files, which this data plane does not serve yet`));
      return;
    }
    x.cluster = cluster;
    const length = req.headers['content-length'];
    if (length !== undefined) x.bytesIn = Number(length) || 0;
    forward(x, route, cluster);
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
