// The phases HTTP forwarding and the WebSocket tunnel share: route, authenticate, pick a peer,
// build the upstream request head. Each is a plain function of the current tables.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { PorticoError } from '../../../shared/src/errors.js';
import type { Exclude, PickContext } from '../balance/picker.js';
import type { CompiledCluster, CompiledEndpoint, CompiledRoute, Tables } from '../state/tables.js';
import { checkKey } from '../../../shared/src/auth-keys.js';
import { isTrusted } from './client-ip.js';
import { upstreamRequestHeaders } from './headers.js';
import type { Observer } from './observe.js';

/**
 * Index of the first route at or after `from` whose matcher accepts the request, in
 * configuration order; -1 when none does. Payload matchers are checked by the caller.
 */
export function matchRoute(tables: Tables, method: string, path: string, headers: IncomingHttpHeaders, from: number): number {
  const routes = tables.routes;
  for (let i = from; i < routes.length; i++) {
    if (routes[i]!.matcher.matches(method, path, headers)) return i;
  }
  return -1;
}

/** The gateway-key check; returns the headers to strip before forwarding. */
export function authenticate(route: CompiledRoute, headers: IncomingHttpHeaders): ReadonlySet<string> | undefined | PorticoError {
  const result = checkKey(route.keys, headers);
  return result.ok ? result.strip : new PorticoError('UNAUTHORIZED', result.message);
}

/** An endpoint from the cluster's picker, or the §3.2 error that says why there is none. */
export function pickEndpoint(cluster: CompiledCluster, ctx: PickContext, tried: readonly CompiledEndpoint[] | undefined): CompiledEndpoint | PorticoError {
  const exclude: Exclude | undefined = tried === undefined ? undefined : (e) => tried.includes(e);
  const endpoint = cluster.picker.pick(ctx, exclude);
  if (endpoint) return endpoint;
  if (cluster.candidates.length === 0) return new PorticoError('NO_HEALTHY_UPSTREAM', `no healthy endpoint in cluster ${cluster.name}`);
  // Why none is usable: every candidate out of tokens -> 429; any at its cap -> 503 saturated.
  let limitedWait = Infinity;
  let allLimited = true;
  let saturated = false;
  for (const e of cluster.candidates) {
    if (tried?.includes(e)) continue;
    const rt = e.runtime;
    if (rt.inFlight >= e.maxRequests) saturated = true;
    if (rt.bucket !== undefined && !rt.bucket.available(ctx.now)) limitedWait = Math.min(limitedWait, rt.bucket.waitMs(ctx.now));
    else allLimited = false;
  }
  if (allLimited && limitedWait !== Infinity) {
    const err = new PorticoError('RATE_LIMITED', `every endpoint of cluster ${cluster.name} is over its rate limit`);
    err.retryAfter = limitedWait / 1000;
    return err;
  }
  return saturated
    ? new PorticoError('UPSTREAM_SATURATED', `every endpoint of cluster ${cluster.name} is at its concurrency limit`)
    : new PorticoError('NO_HEALTHY_UPSTREAM', `no usable endpoint in cluster ${cluster.name}`);
}

/** Consumes the picked endpoint's rate-limit token (pick() only looks). */
export function admit(endpoint: CompiledEndpoint, now: number): void {
  endpoint.runtime.bucket?.take(now);
}

export interface RequestHeadInput {
  req: IncomingMessage;
  tables: Tables;
  route: CompiledRoute;
  endpoint: CompiledEndpoint;
  path: string;
  query: string;
  requestId: string;
  clientIp: string;
  directIp: string;
  /** Headers the gateway consumed (the gateway key) and must not forward. */
  strip: ReadonlySet<string> | undefined;
}

/** Upstream path: endpoint base path + rewritten path + query (when forwarded). Always origin-form. */
export function upstreamPath(x: RequestHeadInput): string {
  const rewritten = x.route.rewrite(x.path);
  return x.endpoint.basePath + rewritten + (x.route.forwardQuery && x.query !== '' ? `?${x.query}` : '');
}

/** Upstream headers: client headers filtered and edited, forwarded headers, then the backend key. */
export function upstreamHeaders(x: RequestHeadInput): string[] {
  const headers = upstreamRequestHeaders(x.req.rawHeaders, x.route.requestHeaders, {
    clientIp: x.clientIp,
    proto: 'http',
    host: x.req.headers.host,
    requestId: x.requestId,
    trustedHop: isTrusted(x.directIp, x.tables.trustProxy),
  }, x.strip, x.endpoint.authHeader?.[0]);
  const key = x.endpoint.authHeader;
  if (key) headers.push(key[0], key[1]);
  return headers;
}

/**
 * Passive outlier detection (Envoy consecutive_5xx), shared by HTTP and WebSocket: `failed`
 * answers in a row eject the endpoint from this process's picks for the ejection time.
 */
export function recordOutcome(cluster: CompiledCluster, endpoint: CompiledEndpoint, failed: boolean, now: number, observer: Observer): void {
  const rt = endpoint.runtime;
  if (!failed) {
    rt.consecutiveFailures = 0;
  } else if (++rt.consecutiveFailures >= cluster.outlierConsecutiveFailures) {
    rt.ejectedUntil = now + cluster.outlierEjectionTimeMs;
    rt.consecutiveFailures = 0;
    observer.ejected(cluster.name, endpoint.name, cluster.outlierEjectionTimeMs, cluster.outlierConsecutiveFailures);
  }
}
