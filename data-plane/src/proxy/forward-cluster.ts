// The `forward` phase for cluster routes: pick an endpoint, send, and decide what happens when it
// does not work out (SPEC §3.3 first-success, §3.5 retries and outlier detection):
//   - connect failures go to another endpoint (up to `retries`; every endpoint for first-success);
//   - 502/503 answers are held back and retried when the body can be replayed (idempotent method
//     without body, or a buffered body); first-success holds every non-2xx answer;
//   - when nothing better comes, the client gets the last answer held, else the §3.2 error.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PorticoError } from '../../../shared/src/errors.js';
import type { RouteCacheHolder } from '../state/route-cache.js';
import type { CompiledCluster, CompiledEndpoint, CompiledRoute } from '../state/tables.js';
import { canonicalBody } from '../routing/payload.js';
import type { Exchange } from './exchange.js';
import { deliverHeld, forwardHttp, type BodyTransform, type ForwardCallbacks, type HeldResponse, type Hold, type UpstreamRequest } from './forward-http.js';
import { clientResponseHeaders, headerValue } from './headers.js';
import type { Observer } from './observe.js';
import { admit, pickEndpoint, recordOutcome, upstreamHeaders, upstreamPath } from './phases.js';
import { rewriteLocation, rewriteOpenApi } from './prefixed-service.js';
import type { MappedUpstreamError } from './upstream-errors.js';
import { bufferBody, replayableBody, requestHasBody } from './request-body.js';

export interface ClusterForwarderDeps {
  observer: Observer;
  routeCache: RouteCacheHolder;
  clock: () => number;
  finish(x: Exchange, status: number, bytesOut: number, error: string | undefined): void;
  fail(x: Exchange, err: PorticoError): void;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
const HOLD_PLAIN: Hold = { transform: undefined };

export type ClusterForward = (x: Exchange, route: CompiledRoute, cluster: CompiledCluster) => void;

export function createClusterForwarder(deps: ClusterForwarderDeps): ClusterForward {
  const forwarder = new ClusterForwarder(deps);
  return (x, route, cluster) => forwarder.start(x, route, cluster);
}

class ClusterForwarder {
  constructor(readonly deps: ClusterForwarderDeps) {}

  start(x: Exchange, route: CompiledRoute, cluster: CompiledCluster): void {
    if (cluster.balancer !== 'first-success') {
      this.attempt(x, route, cluster, undefined);
      return;
    }
    // first-success replays the body, so it buffers it first; only that and a Redis route-cache
    // lookup make it wait (no promise per request otherwise).
    if (x.body === undefined && route.bodyOverride === undefined && requestHasBody(x.req)) {
      bufferBody(x.req, x.tables.maxBufferedBody).then(
        (body) => {
          x.body = body;
          this.firstSuccess(x, route, cluster);
        },
        (err: unknown) => this.deps.fail(x, new PorticoError('BAD_REQUEST', 'could not read the request body', { cause: err })),
      );
      return;
    }
    this.firstSuccess(x, route, cluster);
  }

  /** first-success: a replayable body, then the remembered winner first. */
  private firstSuccess(x: Exchange, route: CompiledRoute, cluster: CompiledCluster): void {
    if (x.body !== undefined && !x.body.complete) {
      // Sending part of a body to one endpoint and all of it to another would be worse.
      this.deps.fail(x, new PorticoError('PAYLOAD_TOO_LARGE', `first-success replays request bodies up to ${x.tables.maxBufferedBody} bytes`));
      return;
    }
    const cache = this.deps.routeCache.current();
    if (cache === undefined) {
      this.attempt(x, route, cluster, undefined);
      return;
    }
    x.cacheKey = routeCacheKey(x, route);
    const found = cache.get(x.cacheKey);
    // The in-memory cache answers at once; only Redis takes a round trip (a failed lookup is a miss).
    if (typeof found !== 'object') this.startWithWinner(x, route, cluster, found);
    else found.then((name) => this.startWithWinner(x, route, cluster, name)).catch((err: unknown) => this.deps.fail(x, new PorticoError('UPSTREAM_ERROR', 'could not start the request', { cause: err })));
  }

  private startWithWinner(x: Exchange, route: CompiledRoute, cluster: CompiledCluster, winner: string | undefined): void {
    x.preferred = winner === undefined ? undefined : cluster.candidates.find((e) => e.name === winner);
    this.deps.observer.routeCache(x.preferred !== undefined);
    this.attempt(x, route, cluster, undefined);
  }

  /** `lastFailure`: why the previous attempt failed; the client gets it when no endpoint is left. */
  attempt(x: Exchange, route: CompiledRoute, cluster: CompiledCluster, lastFailure: PorticoError | undefined): void {
    let endpoint: CompiledEndpoint;
    const preferred = x.preferred;
    if (preferred !== undefined && x.attempts === 0 && cluster.picker.pick(x, (e) => e !== preferred) !== undefined) {
      endpoint = preferred;
    } else {
      const picked = pickEndpoint(cluster, x, x.tried);
      if (picked instanceof PorticoError) {
        if (x.lastHeld !== undefined) this.deliver(x);
        else this.deps.fail(x, lastFailure ?? picked);
        return;
      }
      endpoint = picked;
    }
    x.endpoint = endpoint;
    admit(endpoint, x.now);
    x.attempts++;
    const req = x.req;
    const head = { req, tables: x.tables, route, endpoint, path: x.path, query: x.query, requestId: x.requestId, clientIp: x.clientIp, directIp: x.directIp, strip: x.strip };
    const upstream: UpstreamRequest = {
      method: route.methodOverride ?? req.method!,
      path: upstreamPath(head),
      headers: upstreamHeaders(head),
      body: route.bodyOverride ?? (x.body !== undefined ? replayableBody(x.body) : requestHasBody(x.req) ? req : null),
      headersTimeout: cluster.timeoutMs,
      idleTimeout: cluster.idleTimeoutMs,
    };
    const replayable = upstream.body === null || typeof upstream.body === 'string' || Buffer.isBuffer(upstream.body);
    endpoint.runtime.inFlight++;
    x.upstreamStart = performance.now();
    forwardHttp(endpoint.runtime.pool, upstream, x.res, new Attempt(this, x, route, cluster, endpoint, upstream.method, replayable));
  }

  deliver(x: Exchange): void {
    const held = x.lastHeld!;
    const bytes = deliverHeld(x.res, held);
    this.deps.finish(x, held.status, bytes, undefined);
  }

  remember(x: Exchange, endpoint: CompiledEndpoint): void {
    if (x.cacheKey !== undefined && x.preferred !== endpoint) this.deps.routeCache.current()?.set(x.cacheKey, endpoint.name);
  }
}

/**
 * One try of an exchange on one endpoint: forward-http's callbacks as the methods of one object
 * (one allocation per try, where closures took an object, four functions and their context).
 */
class Attempt implements ForwardCallbacks {
  readonly maxHeld: number;
  private readonly firstSuccess: boolean;

  constructor(
    private readonly forwarder: ClusterForwarder,
    private readonly x: Exchange,
    private readonly route: CompiledRoute,
    private readonly cluster: CompiledCluster,
    private readonly endpoint: CompiledEndpoint,
    private readonly method: string,
    private readonly replayable: boolean,
  ) {
    this.maxHeld = x.tables.maxBufferedBody;
    this.firstSuccess = cluster.balancer === 'first-success';
  }

  responseHeaders(status: number, raw: Buffer[]): string[] {
    const { x, route, endpoint } = this;
    const deps = this.forwarder.deps;
    x.upstreamMs = performance.now() - x.upstreamStart;
    endpoint.runtime.latency.observe(x.upstreamMs, deps.clock());
    deps.observer.upstream(this.cluster.name, endpoint.name, status);
    const headers = clientResponseHeaders(raw, route.responseHeaders, x.requestId);
    if (x.corsHeaders !== undefined) headers.push(...x.corsHeaders);
    if (route.rewriteLocation && route.matcher.prefix !== undefined) mapLocation(headers, route.matcher.prefix, endpoint);
    return headers;
  }

  hold(status: number, headers: string[]): Hold | undefined {
    const { x, route, cluster } = this;
    const transform = route.openapi && route.matcher.prefix !== undefined ? openApiTransform(route.matcher.prefix, status, headers) : undefined;
    if (transform !== undefined) return { transform };
    if (this.firstSuccess ? status < 200 || status > 299 : (status === 502 || status === 503) && this.replayable && x.attempts <= cluster.retries && (IDEMPOTENT.has(this.method) || x.body !== undefined)) {
      return HOLD_PLAIN;
    }
    return undefined;
  }

  done(status: number, bytesOut: number, failure: MappedUpstreamError | undefined, headersSent: boolean, held: HeldResponse | undefined): void {
    const { x, route, cluster, endpoint, forwarder, firstSuccess } = this;
    const deps = forwarder.deps;
    endpoint.runtime.inFlight--;
    if (!failure?.clientGone) recordOutcome(cluster, endpoint, failure !== undefined || status >= 500, deps.clock(), deps.observer);
    if (held !== undefined) {
      const ok = status >= 200 && status <= 299;
      if (ok || (!firstSuccess && x.attempts > cluster.retries)) {
        if (ok) forwarder.remember(x, endpoint);
        x.lastHeld = held;
        forwarder.deliver(x);
        return;
      }
      x.lastHeld = held;
      (x.tried ??= []).push(endpoint);
      forwarder.attempt(x, route, cluster, undefined);
      return;
    }
    if (!failure) {
      if (firstSuccess && status >= 200 && status <= 299) forwarder.remember(x, endpoint);
      deps.finish(x, status, bytesOut, undefined);
    } else if (failure.clientGone) {
      deps.finish(x, 499, bytesOut, 'client closed request');
    } else if (headersSent) {
      deps.finish(x, status, bytesOut, failure.error.message);
    } else if (failure.connectFailure ? firstSuccess || x.attempts <= cluster.retries : failure.error.retryable && this.replayable && x.attempts <= cluster.retries && IDEMPOTENT.has(this.method)) {
      (x.tried ??= []).push(endpoint);
      deps.observer.upstream(cluster.name, endpoint.name, failure.error.status);
      forwarder.attempt(x, route, cluster, failure.error);
    } else if (x.lastHeld !== undefined) {
      forwarder.deliver(x);
    } else {
      if (x.upstreamMs === 0) x.upstreamMs = performance.now() - x.upstreamStart;
      deps.observer.upstream(cluster.name, endpoint.name, failure.error.status);
      deps.fail(x, failure.error);
    }
  }
}

/** Body-less keys up to this length are used as they are (an LRU entry stays small). */
const MAX_PLAIN_KEY = 128;

/**
 * Route name + method + path and query, plus the canonical JSON body (or the raw body). Short
 * body-less keys are used as they are: hashing them took ~3.4 µs of a first-success request's
 * CPU (V8 profile, issue 8). The rest are hashed to a bounded key. A plain key always holds "\n"
 * and a base64url digest never does, so the two cannot collide.
 */
export function routeCacheKey(x: Pick<Exchange, 'req' | 'path' | 'query' | 'body'>, route: Pick<CompiledRoute, 'name' | 'methodOverride' | 'bodyOverride'>): string {
  const head = `${route.name}\n${route.methodOverride ?? x.req.method}\n${x.path}?${x.query}\n`;
  const body = route.bodyOverride !== undefined ? Buffer.from(route.bodyOverride) : x.body?.complete ? x.body.body : undefined;
  const hasContent = body !== undefined && body.length > 0;
  if (!hasContent && head.length <= MAX_PLAIN_KEY) return head;
  const h = createHash('sha256');
  h.update(head);
  if (hasContent) h.update(canonicalBody(body) ?? body);
  return h.digest('base64url');
}

function mapLocation(headers: string[], prefix: string, endpoint: CompiledEndpoint): void {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i]!.toLowerCase() === 'location') headers[i + 1] = rewriteLocation(headers[i + 1]!, prefix, endpoint.origin, endpoint.basePath);
  }
}

function openApiTransform(prefix: string, status: number, headers: string[]): BodyTransform | undefined {
  if (status !== 200) return undefined;
  const type = headerValue(headers, 'content-type') ?? '';
  // A compressed body cannot be rewritten; it passes unchanged.
  if (!type.includes('json') || headerValue(headers, 'content-encoding') !== undefined) return undefined;
  return (body) => rewriteOpenApi(body, prefix);
}
