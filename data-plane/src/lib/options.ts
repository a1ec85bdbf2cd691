// The library's option shapes (SPEC §8) and their translation into the data plane's own compiled
// objects: request overrides become a wire route (the shape the control plane publishes) compiled
// by CompiledRoute, endpoint lists become CompiledEndpoints. Nothing here forwards or balances;
// it only names things the way the data plane already understands them.
import type { SnapshotEndpoint, SnapshotHeaderEdits, SnapshotRoute } from '../../../shared/src/snapshot/types.js';
import { parseDuration, parseSize } from '../../../shared/src/config/units.js';
import { defaultEndpointName } from '../../../shared/src/config/semantics.js';
import { CompiledRoute, type CompiledCluster } from '../state/tables.js';

/** Milliseconds, or a duration string such as "250ms", "5s", "1m". */
export type Duration = number | string;

/** SPEC §2 `request.headers`: names are case-insensitive. */
export interface HeaderOverrides {
  /** Replace the client's value of these headers. */
  set?: Record<string, string>;
  /** Append these. */
  add?: Record<string, string>;
  /** Drop these client headers. */
  remove?: string[];
  /** Send these instead of every client header (Host, X-Forwarded-*, X-Request-ID and backend keys are still added). */
  replace?: Record<string, string>;
}

/** SPEC §2 `request`: what is sent upstream instead of what the client sent. */
export interface RequestOverrides {
  /** Force a method. */
  method?: string;
  /** Send this body instead of the client's. */
  body?: string;
  /** Forward the client's query string (default true). */
  forwardQuery?: boolean;
  headers?: HeaderOverrides;
}

/** Per-call options of `proxyPass` / `proxyWebSocket` (and of the Fastify plugin). */
export interface ProxyOptions extends RequestOverrides {
  /**
   * Upstream path to request instead of the client's, e.g. `/v1/chat`. It is normalised (dot
   * segments, `//`) and joined to the upstream URL's path; a query it carries replaces the client's.
   */
  path?: string;
  /**
   * Where the proxied service is mounted in your app (`/api`). Requests outside it get 404
   * no_route; `rewrite.stripPrefix`, `response.rewriteLocation` and `response.openapi` use it.
   */
  prefix?: string;
  /** SPEC §2 `rewrite`: `{ stripPrefix: true }` or `{ regex, replacement }`. */
  rewrite?: { stripPrefix?: boolean; regex?: string; replacement?: string };
  response?: {
    headers?: Omit<HeaderOverrides, 'replace'>;
    /** Map upstream Location headers back under `prefix`. */
    rewriteLocation?: boolean;
    /** Rewrite OpenAPI/Swagger JSON (servers, paths) for `prefix`. */
    openapi?: boolean;
  };
}

/** An upstream endpoint: a URL (origin plus an optional base path) and how to use it. */
export interface EndpointOptions {
  url: string;
  /** Default: host:port of the URL. Names must be unique within one balancer or checker. */
  name?: string;
  /** For `weighted` and `ip-hash` (1-1000, default 1). */
  weight?: number;
  /** Concurrent requests this process sends it at most. */
  maxRequests?: number;
  /** Backend key injected upstream; never appears in a response. */
  auth?: { key: string; header?: 'authorization' | 'x-api-key' };
}

export interface ResolvedEndpoint {
  readonly name: string;
  readonly url: string;
  readonly weight: number;
  readonly maxRequests: number | undefined;
  readonly auth: { key: string; header: 'authorization' | 'x-api-key' } | undefined;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const UNSAFE_VALUE = /[\r\n\0]/;

/** Milliseconds from a Duration; TypeError naming the option when it is not one. */
export function toMs(value: Duration | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const ms = typeof value === 'number' ? value : parseDuration(value);
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) throw new TypeError(`${what} must be milliseconds or a duration such as 250ms, 5s or 1m (got ${JSON.stringify(value)})`);
  return ms;
}

export function toBytes(value: number | string | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const bytes = typeof value === 'number' ? value : parseSize(value);
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) throw new TypeError(`${what} must be bytes or a size such as 512kb or 1mb (got ${JSON.stringify(value)})`);
  return bytes;
}

export function resolveEndpoints(list: ReadonlyArray<string | EndpointOptions>, what: string): ResolvedEndpoint[] {
  if (list.length === 0) throw new TypeError(`${what} must list at least one endpoint`);
  const names = new Set<string>();
  return list.map((item, i) => {
    const e: EndpointOptions = typeof item === 'string' ? { url: item } : item;
    let url: URL;
    try {
      url = new URL(e.url);
    } catch {
      throw new TypeError(`${what}[${i}].url must be an http(s) URL (got ${JSON.stringify(e.url)})`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`${what}[${i}].url must be an http(s) URL`);
    if (url.username || url.password || url.search || url.hash) throw new TypeError(`${what}[${i}].url must not contain credentials, a query or a fragment`);
    const name = e.name ?? defaultEndpointName(e.url);
    if (e.name !== undefined && !NAME.test(e.name)) throw new TypeError(`${what}[${i}].name must use only letters, digits, ".", "_" and "-"`);
    if (names.has(name)) throw new TypeError(`${what}[${i}]: duplicate endpoint name "${name}" (give each endpoint a name)`);
    names.add(name);
    const weight = e.weight ?? 1;
    if (!Number.isInteger(weight) || weight < 1 || weight > 1000) throw new TypeError(`${what}[${i}].weight must be a whole number from 1 to 1000`);
    if (e.maxRequests !== undefined && !(Number.isInteger(e.maxRequests) && e.maxRequests >= 1)) throw new TypeError(`${what}[${i}].maxRequests must be a whole number >= 1`);
    if (e.auth !== undefined && (e.auth.key === '' || UNSAFE_VALUE.test(e.auth.key))) throw new TypeError(`${what}[${i}].auth.key must be non-empty and contain no CR, LF or NUL`);
    return {
      name,
      url: e.url,
      weight,
      maxRequests: e.maxRequests,
      auth: e.auth === undefined ? undefined : { key: e.auth.key, header: e.auth.header ?? 'authorization' },
    };
  });
}

/** The wire endpoint CompiledEndpoint is built from. */
export function wireEndpoint(e: ResolvedEndpoint, status: SnapshotEndpoint['status'], latencyMs: number, lastCheck: string): SnapshotEndpoint {
  return {
    name: e.name,
    url: e.url,
    weight: e.weight,
    ...(e.maxRequests !== undefined ? { maxRequests: e.maxRequests } : {}),
    ...(e.auth ? { auth: { key: e.auth.key, header: e.auth.header } } : {}),
    status,
    latencyMs,
    lastCheck,
  };
}

function headerMap(map: Record<string, string> | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(map ?? {})) {
    if (!TOKEN.test(name)) throw new TypeError(`${what}: "${name}" is not a valid header name`);
    if (typeof value !== 'string' || UNSAFE_VALUE.test(value)) throw new TypeError(`${what}.${name} must be a string without CR, LF or NUL`);
    out[name.toLowerCase()] = value;
  }
  return out;
}

function headerEdits(h: HeaderOverrides | undefined, what: string): SnapshotHeaderEdits {
  const remove = (h?.remove ?? []).map((name) => {
    if (!TOKEN.test(name)) throw new TypeError(`${what}.remove: "${name}" is not a valid header name`);
    return name.toLowerCase();
  });
  return {
    set: headerMap(h?.set, `${what}.set`),
    add: headerMap(h?.add, `${what}.add`),
    remove,
    replace: headerMap(h?.replace, `${what}.replace`),
    hasReplace: h?.replace !== undefined,
  };
}

/**
 * Options -> the data plane's CompiledRoute over `cluster`, exactly as a configured route with the
 * same `request`, `rewrite` and `response` settings would be compiled. Throws TypeError on
 * invalid options (bad header names, CR/LF in values, a prefix without "/").
 */
export function compileRoute(o: ProxyOptions, cluster: CompiledCluster, name: string): CompiledRoute {
  const prefix = o.prefix ?? '/';
  if (!prefix.startsWith('/')) throw new TypeError(`prefix must start with "/" (got ${JSON.stringify(prefix)})`);
  if (o.method !== undefined && !TOKEN.test(o.method)) throw new TypeError(`method must be an HTTP method (got ${JSON.stringify(o.method)})`);
  if (o.rewrite?.regex !== undefined) new RegExp(o.rewrite.regex); // throws SyntaxError early, not per request
  const wire: SnapshotRoute = {
    name,
    match: { kind: 'prefix', prefix, methods: [], headers: {}, payloadJson: [] },
    cluster: cluster.name,
    rewrite: o.rewrite === undefined ? null : { stripPrefix: o.rewrite.stripPrefix ?? false, regex: o.rewrite.regex ?? '', replacement: o.rewrite.replacement ?? '' },
    request: {
      ...(o.method !== undefined ? { method: o.method.toUpperCase() } : {}),
      ...(o.body !== undefined ? { body: o.body } : {}),
      forwardQuery: o.forwardQuery ?? true,
      headers: headerEdits(o.headers, 'headers'),
    },
    response: {
      headers: headerEdits(o.response?.headers, 'response.headers'),
      rewriteLocation: o.response?.rewriteLocation ?? false,
      openapi: o.response?.openapi ?? false,
    },
    auth: { mode: 'none', keys: [] },
    websocket: true,
    cors: { mode: 'off' },
  };
  return new CompiledRoute(wire, 0, cluster, undefined, undefined);
}
