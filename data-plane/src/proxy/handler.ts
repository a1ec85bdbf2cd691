// The traffic listener's request lifecycle, as named phases (Pingora's proxy phases):
//   request_filter   parse the target, status endpoints, header limits, CORS preflight
//   route            first matching route; payload matchers buffer the body (phases.ts)
//   authenticate     gateway key, constant time                        (phases.ts)
//   upstream_peer    the cluster's picker, skipping unusable endpoints (phases.ts)
//   upstream_request rewrite, overrides, forwarded headers, backend key (phases.ts)
//   forward          stream both ways; retries and first-success       (forward-cluster.ts)
//   logging          access log and metrics                            (observe.ts)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PorticoError } from '../../../shared/src/errors.js';
import type { SnapshotStore } from '../state/store.js';
import type { RouteCacheHolder } from '../state/route-cache.js';
import type { CompiledRoute } from '../state/tables.js';
import { parseTarget } from '../routing/target.js';
import { canonicalBody } from '../routing/payload.js';
import { checkKey } from '../../../shared/src/auth-keys.js';
import { isPreflight } from './cors.js';
import { Exchange } from './exchange.js';
import { createClusterForwarder } from './forward-cluster.js';
import type { Observer } from './observe.js';
import { authenticate, matchRoute } from './phases.js';
import { bufferBody } from './request-body.js';
import { requestIdOf } from './request-id.js';
import { sendError, sendJson } from './respond.js';
import { serveStatic, staticRelativePath } from './static-files.js';
import { clusterStatusDocument, healthStatusDocument } from './status-endpoints.js';

export interface HandlerDeps {
  store: SnapshotStore;
  observer: Observer;
  routeCache: RouteCacheHolder;
  /** Milliseconds; passed in so tests and balancers share one notion of time. */
  clock: () => number;
  isDraining: () => boolean;
}

const STATUS_PREFIX = '/api/health/status';

export function createTrafficHandler(deps: HandlerDeps) {
  const { store, observer } = deps;

  function finish(x: Exchange, status: number, bytesOut: number, error: string | undefined): void {
    observer.finished(x, status, bytesOut, error);
  }

  function fail(x: Exchange, err: PorticoError): void {
    sendError(x.res, err, x.requestId);
    finish(x, err.status, 0, err.message);
  }

  const forwardToCluster = createClusterForwarder({ observer, routeCache: deps.routeCache, clock: deps.clock, finish, fail });

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
      const name = safeDecode(path.slice(STATUS_PREFIX.length + 1));
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
    const index = matchRoute(x.tables, requested.toUpperCase(), x.path, req.headers, 0);
    const route = index === -1 ? undefined : x.tables.routes[index];
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

  /** Routes with payload matchers need the body: read it once (bounded), then match on. */
  async function routeByPayload(x: Exchange, from: number): Promise<void> {
    const req = x.req;
    x.body = await bufferBody(req, x.tables.maxBufferedBody);
    // An invalid or oversized body matches no payload route and is forwarded intact by the next.
    const canonical = x.body.complete ? canonicalBody(x.body.body) : undefined;
    for (let i = from; i !== -1; i = matchRoute(x.tables, req.method!, x.path, req.headers, i + 1)) {
      const route = x.tables.routes[i]!;
      if (route.payload === undefined || route.payload.matches(canonical)) {
        proceed(x, route);
        return;
      }
    }
    fail(x, new PorticoError('NO_ROUTE', `no route for ${req.method} ${x.path}`));
  }

  function proceed(x: Exchange, route: CompiledRoute): void {
    const req = x.req;
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
    forwardToCluster(x, route, cluster);
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
    if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor === 1) {
      fail(x, new PorticoError('BAD_REQUEST', 'HTTP/1.1 requests need a Host header'));
      return;
    }
    if (tables.statusEndpoints && statusEndpoint(x)) return;
    if (headerBytes(req.rawHeaders) > tables.maxHeaderSize) {
      fail(x, new PorticoError('HEADERS_TOO_LARGE'));
      return;
    }
    const method = req.method!;
    if (isPreflight(method, req.headers) && preflight(x)) return;

    // route
    const index = matchRoute(tables, method, target.path, req.headers, 0);
    if (index === -1) {
      fail(x, new PorticoError('NO_ROUTE', `no route for ${method} ${target.path}`));
      return;
    }
    const route = tables.routes[index]!;
    if (route.payload !== undefined) {
      routeByPayload(x, index).catch((err: unknown) => fail(x, new PorticoError('BAD_REQUEST', 'could not read the request body', { cause: err })));
      return;
    }
    proceed(x, route);
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function headerBytes(raw: string[]): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) n += raw[i]!.length + 2;
  return n;
}
