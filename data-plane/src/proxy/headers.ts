// Header rules of SPEC §3.1: hop-by-hop headers (RFC 9110 §7.6.1) and every header named in
// Connection are dropped in both directions *before* the gateway adds its own, so a client's
// `Connection: x-forwarded-for` cannot delete what the gateway sets.
import { HeaderText } from './header-text.js';

/** Never forwarded. `te` is handled apart (only `te: trailers` survives). */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te',
  'proxy-authenticate', 'proxy-authorization',
]);

/** Request headers the gateway always owns: the client's values never pass as they are. */
const GATEWAY_OWNED_REQUEST = new Set(['host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-request-id', 'expect']);

export function isHopByHop(lowerName: string): boolean {
  return HOP_BY_HOP.has(lowerName);
}

const PLAIN_CONNECTION = /^(?:keep-alive|close)$/i;

/** Names listed in the Connection header values of a flat [name, value, ...] list. */
export function connectionListed(raw: readonly string[]): Set<string> | undefined {
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 10 && name.toLowerCase() === 'connection') {
      const value = raw[i + 1]!;
      // The usual values name only hop-by-hop headers that are dropped anyway.
      if (value.length <= 10 && PLAIN_CONNECTION.test(value)) continue;
      for (const token of value.split(',')) {
        const t = token.trim().toLowerCase();
        if (t) (listed ??= new Set()).add(t);
      }
    }
  }
  return listed;
}

export interface RequestHeaderPlan {
  /** Lower-case names the route removes. */
  remove: ReadonlySet<string>;
  /** Replaces the client's value (lower-case name -> value). */
  set: ReadonlyArray<readonly [string, string]>;
  /** Appended. */
  add: ReadonlyArray<readonly [string, string]>;
  /** When present, sent instead of every client header. */
  replace: ReadonlyArray<readonly [string, string]> | undefined;
  /** Drop the client's Content-Length (the route sends its own body). */
  dropBodyFraming: boolean;
}

export interface ForwardedInfo {
  clientIp: string;
  /** Client-sent X-Forwarded-For, if any (appended to). */
  proto: string;
  host: string | undefined;
  requestId: string;
  /** Keep the client's X-Forwarded-Proto/Host (it came through a trusted proxy). */
  trustedHop: boolean;
}

/**
 * Builds the upstream header list (flat [name, value, ...]) from the client's raw headers.
 * `extra` holds gateway-injected headers (backend keys) added last.
 */
export function upstreamRequestHeaders(
  raw: readonly string[],
  plan: RequestHeaderPlan,
  fwd: ForwardedInfo,
  skip: ReadonlySet<string> | undefined,
  /** A header the gateway injects itself (the backend key): the client's value never passes. */
  injected?: string,
): string[] {
  const listed = connectionListed(raw);
  const out: string[] = [];
  let xff: string | undefined;
  let xfProto: string | undefined;
  let xfHost: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    const value = raw[i + 1]!;
    // Connection-listed first: a hop-by-hop X-Forwarded-* from the client is dropped, not trusted.
    if (listed?.has(lower) && !HOP_BY_HOP.has(lower)) continue;
    if (lower === 'x-forwarded-for') { xff = xff === undefined ? value : `${xff}, ${value}`; continue; }
    if (lower === 'x-forwarded-proto') { xfProto = value; continue; }
    if (lower === 'x-forwarded-host') { xfHost = value; continue; }
    if (GATEWAY_OWNED_REQUEST.has(lower)) continue;
    if (HOP_BY_HOP.has(lower)) {
      if (lower === 'te' && value.trim().toLowerCase() === 'trailers') out.push('te', 'trailers');
      continue;
    }
    if (listed?.has(lower) || skip?.has(lower) || lower === injected) continue;
    if (lower === 'content-length') {
      if (!plan.dropBodyFraming) out.push(name, value);
      continue;
    }
    if (plan.replace !== undefined || plan.remove.has(lower)) continue;
    if (plan.set.length > 0 && hasName(plan.set, lower)) continue;
    out.push(name, value);
  }
  if (plan.replace !== undefined) for (const [n, v] of plan.replace) out.push(n, v);
  for (const [n, v] of plan.set) out.push(n, v);
  for (const [n, v] of plan.add) out.push(n, v);
  out.push('x-forwarded-for', xff === undefined ? fwd.clientIp : `${xff}, ${fwd.clientIp}`);
  out.push('x-forwarded-proto', fwd.trustedHop && xfProto ? xfProto : fwd.proto);
  const host = fwd.trustedHop && xfHost ? xfHost : fwd.host;
  if (host !== undefined) out.push('x-forwarded-host', host);
  out.push('x-request-id', fwd.requestId);
  return out;
}

export interface ResponseHeaderPlan {
  remove: ReadonlySet<string>;
  set: ReadonlyArray<readonly [string, string]>;
  add: ReadonlyArray<readonly [string, string]>;
}

/**
 * Lengths of the names a response can lose without a route edit: the hop-by-hop ones and
 * x-request-id (the gateway's own). Other names are passed on without being lower-cased or looked
 * up: a response's headers are mostly content-type/-length, date, cache and vendor headers, and
 * lower-casing and hashing each one was ~4k instructions of a proxied request (callgrind, issue 2).
 */
const DROPPABLE_LENGTH = new Uint8Array(20);
for (const name of [...HOP_BY_HOP, 'x-request-id']) DROPPABLE_LENGTH[name.length] = 1;

/** Upstream header bytes -> strings; one cache for the whole process (header-text.ts). */
const upstreamText = new HeaderText();

/** Upstream raw headers (Buffers from undici) -> the list sent to the client. */
export function clientResponseHeaders(raw: readonly Buffer[], plan: ResponseHeaderPlan, requestId: string): string[] {
  const strings: string[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) strings[i] = upstreamText.text(raw[i]!);
  const listed = connectionListed(strings);
  const edited = listed !== undefined || plan.remove.size > 0 || plan.set.length > 0;
  const out: string[] = [];
  for (let i = 0; i < strings.length; i += 2) {
    const name = strings[i]!;
    if (edited || DROPPABLE_LENGTH[name.length] === 1) {
      const lower = upstreamText.lower(raw[i]!);
      if (HOP_BY_HOP.has(lower) || lower === 'x-request-id' || listed?.has(lower) || plan.remove.has(lower)) continue;
      if (plan.set.length > 0 && hasName(plan.set, lower)) continue;
    }
    out.push(name, strings[i + 1]!);
  }
  for (const [n, v] of plan.set) out.push(n, v);
  for (const [n, v] of plan.add) out.push(n, v);
  out.push('x-request-id', requestId);
  return out;
}

/** First value of a header in a flat list, by lower-case name. */
export function headerValue(flat: readonly string[], lowerName: string): string | undefined {
  for (let i = 0; i < flat.length; i += 2) if (flat[i]!.toLowerCase() === lowerName) return flat[i + 1];
  return undefined;
}

function hasName(pairs: ReadonlyArray<readonly [string, string]>, lower: string): boolean {
  for (const [n] of pairs) if (n === lower) return true;
  return false;
}
