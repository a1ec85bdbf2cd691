// The WebSocket tunnel (SPEC §3.6), independent of routes and snapshots so the library's
// proxyWebSocket can drive it directly. Deferred negotiation, in Envoy's "upgrade" order:
//   1. connectUpstream   open the upstream WebSocket first, offering the client's subprotocols
//   2. acceptClient      only once the upstream answered 101, complete the client handshake with
//                        the subprotocol the upstream chose (ws `noServer` + `handleUpgrade`)
//      refuseClient      or give the client the upstream's refusal (status, body if small) / our
//                        own JSON error when the upstream cannot be reached
//   3. Tunnel            relay whole messages (never raw bytes) both ways with backpressure,
//                        ping/pong, close codes and reasons, idle timeout
import { performance } from 'node:perf_hooks';
import { STATUS_CODES, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { errorBody, PorticoError } from '../../../shared/src/errors.js';
import { connectionListed, isHopByHop } from './headers.js';

export interface TunnelLimits {
  /** Largest message accepted from either side (ws `maxPayload`); bigger ones close with 1009. */
  maxPayload: number;
  /** Close the tunnel (1001) after this long without a frame in either direction; 0 disables. */
  idleTimeoutMs: number;
  /** Upstream connect + handshake, until its 101 (or refusal) arrives. */
  handshakeTimeoutMs: number;
  /** Pause the reading side when the other side has more than this many bytes queued. */
  highWaterMark: number;
  /** Resume it once the queue is back under this. */
  lowWaterMark: number;
}

export const DEFAULT_TUNNEL_LIMITS: TunnelLimits = {
  maxPayload: 16 * 1024 * 1024,
  idleTimeoutMs: 5 * 60_000,
  handshakeTimeoutMs: 30_000,
  highWaterMark: 1024 * 1024,
  lowWaterMark: 256 * 1024,
};

export interface UpstreamTarget {
  /** ws:// or wss:// URL, built by the caller from a configured endpoint (never from the client). */
  url: string;
  /** Headers for the upstream handshake; the WebSocket handshake headers themselves are ws's. */
  headers: OutgoingHttpHeaders;
  /** The client's offered subprotocols, in order ([] when it offered none). */
  protocols: readonly string[];
  /** Source address for the upstream connection (benchmarks spread ephemeral ports with it). */
  localAddress?: string;
}

/** Largest upstream refusal body passed on to the client. */
export const REFUSAL_BODY_LIMIT = 64 * 1024;

export type UpstreamAttempt =
  | { kind: 'accepted'; upstream: WebSocket; protocol: string; headers: string[] }
  | { kind: 'refused'; status: number; headers: string[]; body: Buffer | undefined }
  | { kind: 'failed'; error: PorticoError; connectFailure: boolean }
  | { kind: 'abandoned' };

// Handshake headers ws sets itself, and framing that an upgrade request never carries upstream.
const HANDSHAKE_HEADERS = new Set([
  'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol',
  'sec-websocket-accept', 'upgrade', 'connection', 'content-length', 'transfer-encoding',
]);

/**
 * A flat [name, value, ...] list (phases.upstreamHeaders) as ws client headers, without the
 * handshake headers ws owns. A Host in the list can only come from the route's overrides (the
 * client's is gateway-owned); without one ws derives Host from the URL. Repeated cookies are
 * joined with "; ".
 */
export function handshakeHeaders(flat: readonly string[]): OutgoingHttpHeaders {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i]!.toLowerCase();
    if (HANDSHAKE_HEADERS.has(name)) continue;
    const value = flat[i + 1]!;
    const prev = out[name];
    if (prev === undefined) out[name] = value;
    else if (name === 'cookie') out[name] = `${prev as string}; ${value}`;
    else out[name] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`|a-z~]+$/;
const KEY = /^[+/0-9A-Za-z]{22}==$/;

/**
 * Why the client's handshake cannot be completed (checked before any upstream work), or
 * undefined when it is a valid RFC 6455 opening handshake.
 */
export function checkClientHandshake(req: IncomingMessage): string | undefined {
  if (req.method !== 'GET') return 'WebSocket handshake must use GET';
  if (req.headers.upgrade?.toLowerCase() !== 'websocket') return 'Upgrade must be websocket';
  const key = req.headers['sec-websocket-key'];
  if (key === undefined || !KEY.test(key)) return 'missing or invalid Sec-WebSocket-Key';
  const version = req.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') return 'unsupported Sec-WebSocket-Version';
  if (offeredProtocols(req) === undefined) return 'invalid Sec-WebSocket-Protocol';
  return undefined;
}

/** The client's subprotocols in order; [] when none; undefined when the header is malformed. */
export function offeredProtocols(req: IncomingMessage): string[] | undefined {
  const header = req.headers['sec-websocket-protocol'];
  if (header === undefined) return [];
  const out: string[] = [];
  for (const part of header.split(',')) {
    const p = part.trim();
    if (!TOKEN.test(p) || out.includes(p)) return undefined;
    out.push(p);
  }
  return out;
}

// Headers of the upstream's 101 that the client handshake must not repeat (ws writes its own).
const OWN_101_HEADERS = new Set(['sec-websocket-accept', 'sec-websocket-protocol', 'sec-websocket-extensions', 'content-length']);

/** End-to-end headers of an upstream response, safe to pass to the client. */
function passableHeaders(raw: readonly string[], drop: ReadonlySet<string>): string[] {
  const listed = connectionListed(raw);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    if (isHopByHop(lower) || drop.has(lower) || listed?.has(lower) || lower === 'x-request-id') continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

const REFUSAL_DROP = new Set(['content-length']);

/**
 * Opens the upstream WebSocket. Resolves once the upstream accepted (101 with a valid handshake),
 * refused (any other status, body read up to REFUSAL_BODY_LIMIT), could not be reached, or the
 * caller's signal said the client went away. Never rejects.
 */
export function connectUpstream(target: UpstreamTarget, limits: TunnelLimits, signal?: AbortSignal): Promise<UpstreamAttempt> {
  return new Promise((resolve) => {
    let settled = false;
    let chosen: string | undefined;
    let upgradeHeaders: string[] = [];
    const offered = target.protocols;
    const upstream = new WebSocket(target.url, offered.length > 0 ? [...offered] : undefined, {
      headers: target.headers,
      maxPayload: limits.maxPayload,
      perMessageDeflate: false,
      handshakeTimeout: limits.handshakeTimeoutMs,
      followRedirects: false,
      autoPong: false,
      ...(target.localAddress === undefined ? {} : { localAddress: target.localAddress }),
    });
    const settle = (attempt: UpstreamAttempt) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      upstream.off('error', onError);
      resolve(attempt);
    };
    const onAbort = () => {
      upstream.terminate();
      settle({ kind: 'abandoned' });
    };
    const onError = (err: Error) => {
      settle({ kind: 'failed', ...mapWebSocketError(err) });
    };
    // ws fails a handshake whose 101 names no subprotocol when some were offered; RFC 6455 lets
    // the server choose none and leaves the decision to the client, so the proxy passes "none"
    // on. 'upgrade' is emitted before ws checks, on a headers object it reads afterwards.
    upstream.once('upgrade', (res: IncomingMessage) => {
      chosen = res.headers['sec-websocket-protocol'];
      if (chosen === undefined && offered.length > 0) res.headers['sec-websocket-protocol'] = offered[0];
      upgradeHeaders = passableHeaders(res.rawHeaders, OWN_101_HEADERS);
    });
    upstream.once('unexpected-response', (req, res: IncomingMessage) => {
      readSmallBody(res, REFUSAL_BODY_LIMIT, limits.handshakeTimeoutMs).then((body) => {
        settle({ kind: 'refused', status: res.statusCode ?? 502, headers: passableHeaders(res.rawHeaders, REFUSAL_DROP), body });
        req.destroy();
        upstream.terminate();
      });
    });
    upstream.once('open', () => settle({ kind: 'accepted', upstream, protocol: chosen ?? '', headers: upgradeHeaders }));
    upstream.on('error', onError);
    // Errors after settling (a refused handshake being torn down) are expected and ignored here;
    // once open, the tunnel owns error handling.
    upstream.on('error', () => undefined);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Reads a response body up to `limit` bytes; undefined when it is larger or does not end in time. */
function readSmallBody(res: IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (body: Buffer | undefined) => {
      clearTimeout(timer);
      res.removeAllListeners('data');
      resolve(body);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) done(undefined);
      else chunks.push(c);
    });
    res.once('end', () => done(Buffer.concat(chunks)));
    res.once('error', () => done(undefined));
    res.once('close', () => done(size <= limit && res.complete ? Buffer.concat(chunks) : undefined));
  });
}

/** Every ws client failure mapped onto the error registry in one place, keeping the cause. */
export function mapWebSocketError(err: Error): { error: PorticoError; connectFailure: boolean } {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (CONNECT_FAILURES.has(code)) {
    return { error: new PorticoError('UPSTREAM_ERROR', 'upstream connection refused', { cause: err, retryable: true }), connectFailure: true };
  }
  if (err.message === 'Opening handshake has timed out') {
    return { error: new PorticoError('UPSTREAM_TIMEOUT', 'upstream did not complete the WebSocket handshake in time', { cause: err }), connectFailure: false };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return { error: new PorticoError('UPSTREAM_ERROR', 'upstream connection reset during the WebSocket handshake', { cause: err }), connectFailure: false };
  }
  return { error: new PorticoError('UPSTREAM_ERROR', 'invalid upstream WebSocket handshake', { cause: err }), connectFailure: false };
}

const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

/** Answers an upgrade request on its raw socket and closes it. */
export function refuseClient(socket: Duplex, status: number, headers: readonly string[], body: Buffer | string | undefined): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const payload = body === undefined ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body) : body;
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  head += `content-length: ${payload.length}\r\nconnection: close\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), payload]));
}

/** A §3.2 JSON error on the raw socket of an upgrade request. */
export function refuseWithError(socket: Duplex, err: PorticoError, requestId: string): void {
  const headers = ['content-type', 'application/json; charset=utf-8', 'x-request-id', requestId, 'cache-control', 'no-store'];
  if (err.retryAfter !== undefined) headers.push('retry-after', String(Math.max(1, Math.ceil(err.retryAfter))));
  refuseClient(socket, err.status, headers, errorBody(err.type, err.message, requestId));
}

/** Running totals a tunnel adds to (one shared object per route, say); plain numbers, no locking. */
export class TunnelCounters {
  messagesToUpstream = 0;
  bytesToUpstream = 0;
  messagesToClient = 0;
  bytesToClient = 0;
}

export type CloseInitiator = 'client' | 'upstream' | 'proxy';

export interface TunnelEvents {
  /** Once, when both sides are closed. */
  closed(tunnel: Tunnel): void;
}

// Per-handshake state handleProtocols and the 'headers' hook read (the server is shared).
interface Acceptance { protocol: string; headers: string[] }
const acceptances = new WeakMap<IncomingMessage, Acceptance>();

/** One noServer WebSocketServer per set of limits: it only completes client handshakes. */
export function createClientAcceptor(limits: TunnelLimits): WebSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: limits.maxPayload,
    autoPong: false,
    handleProtocols: (_offered, req) => acceptances.get(req)?.protocol || false,
  });
  wss.on('headers', (headers: string[], req: IncomingMessage) => {
    const extra = acceptances.get(req)?.headers;
    if (extra) for (let i = 0; i < extra.length; i += 2) headers.push(`${extra[i]}: ${extra[i + 1]}`);
  });
  return wss;
}

/**
 * Completes the client handshake with the upstream's choice and starts relaying. `extraHeaders`
 * (flat list) are added to the 101 after the upstream's own end-to-end headers. Returns undefined
 * when the client is already gone (the upstream is then closed).
 */
export function acceptClient(
  acceptor: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  accepted: Extract<UpstreamAttempt, { kind: 'accepted' }>,
  limits: TunnelLimits,
  counters: TunnelCounters | undefined,
  extraHeaders: readonly string[],
  events: TunnelEvents,
): Promise<Tunnel | undefined> {
  acceptances.set(req, { protocol: accepted.protocol, headers: [...accepted.headers, ...extraHeaders] });
  return new Promise((resolve) => {
    let done = false;
    const gone = () => {
      if (done) return;
      done = true;
      accepted.upstream.terminate();
      resolve(undefined);
    };
    // handleUpgrade destroys a socket whose client already hung up without calling back.
    socket.once('close', gone);
    acceptor.handleUpgrade(req, socket, head, (client) => {
      socket.off('close', gone);
      if (done) return;
      done = true;
      acceptances.delete(req);
      resolve(new Tunnel(client, accepted.upstream, accepted.protocol, limits, counters, events));
    });
  });
}

const TEXT = { binary: false, compress: false } as const;
const BINARY = { binary: true, compress: false } as const;

/** Codes ws reports locally but that must never go on the wire (RFC 6455 §7.4.1). */
function forwardClose(to: WebSocket, code: number, reason: Buffer): void {
  if (to.readyState !== WebSocket.OPEN && to.readyState !== WebSocket.CONNECTING) return;
  if (code === 1005) to.close(); // the peer sent a close frame without a code: so do we
  else if (code === 1006 || code === 1015 || !sendable(code)) to.close(1011, 'peer connection lost');
  else to.close(code, reason);
}

function sendable(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

/**
 * An open tunnel. Every field is set in the constructor (one V8 shape for thousands of them).
 * Backpressure: a side's messages are only read while the other side has less than
 * `highWaterMark` bytes queued (ws `pause()`/`resume()`, the documented way to stop reading).
 */
export class Tunnel {
  readonly client: WebSocket;
  readonly upstream: WebSocket;
  readonly protocol: string;
  readonly openedAt: number;
  messagesToUpstream = 0;
  bytesToUpstream = 0;
  messagesToClient = 0;
  bytesToClient = 0;
  /** Who started the close; undefined while open. */
  initiator: CloseInitiator | undefined = undefined;
  closeCode = 0;
  closeReason = '';
  private lastActivity: number;
  private idleTimer: NodeJS.Timeout | undefined = undefined;
  private sidesClosed = 0;
  private readonly limits: TunnelLimits;
  private readonly counters: TunnelCounters | undefined;
  private readonly events: TunnelEvents;
  private readonly toUpstreamWritten: () => void;
  private readonly toClientWritten: () => void;

  constructor(client: WebSocket, upstream: WebSocket, protocol: string, limits: TunnelLimits, counters: TunnelCounters | undefined, events: TunnelEvents) {
    this.client = client;
    this.upstream = upstream;
    this.protocol = protocol;
    this.limits = limits;
    this.counters = counters;
    this.events = events;
    this.openedAt = performance.now();
    this.lastActivity = this.openedAt;
    this.toUpstreamWritten = () => this.written(client, upstream);
    this.toClientWritten = () => this.written(upstream, client);

    client.on('message', (data: Buffer, isBinary: boolean) => {
      this.lastActivity = performance.now();
      this.messagesToUpstream++;
      this.bytesToUpstream += data.length;
      if (counters) { counters.messagesToUpstream++; counters.bytesToUpstream += data.length; }
      this.relay(data, isBinary, client, upstream, this.toUpstreamWritten);
    });
    upstream.on('message', (data: Buffer, isBinary: boolean) => {
      this.lastActivity = performance.now();
      this.messagesToClient++;
      this.bytesToClient += data.length;
      if (counters) { counters.messagesToClient++; counters.bytesToClient += data.length; }
      this.relay(data, isBinary, upstream, client, this.toClientWritten);
    });
    client.on('ping', (data: Buffer) => this.control(upstream, data, true));
    client.on('pong', (data: Buffer) => this.control(upstream, data, false));
    upstream.on('ping', (data: Buffer) => this.control(client, data, true));
    upstream.on('pong', (data: Buffer) => this.control(client, data, false));
    client.on('close', (code: number, reason: Buffer) => this.sideClosed('client', upstream, code, reason));
    upstream.on('close', (code: number, reason: Buffer) => this.sideClosed('upstream', client, code, reason));
    // ws closes the socket after an error and then emits 'close' (1006, or 1009 etc.).
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    if (limits.idleTimeoutMs > 0) this.armIdle(limits.idleTimeoutMs);
  }

  get open(): boolean {
    return this.initiator === undefined;
  }

  /** Proxy-initiated close of both sides (shutdown, endpoint removed, idle): `code` goes to both. */
  close(code: number, reason: string): void {
    if (this.initiator !== undefined) return;
    this.initiator = 'proxy';
    this.closeCode = code;
    this.closeReason = reason;
    this.clearIdle();
    for (const side of [this.client, this.upstream]) {
      if (side.readyState === WebSocket.OPEN) side.close(code, reason);
    }
  }

  /** Drops both connections without a close handshake (the end of a bounded shutdown). */
  terminate(): void {
    this.initiator ??= 'proxy';
    this.clearIdle();
    this.client.terminate();
    this.upstream.terminate();
  }

  private relay(data: Buffer, isBinary: boolean, from: WebSocket, to: WebSocket, written: () => void): void {
    if (to.readyState !== WebSocket.OPEN) return;
    to.send(data, isBinary ? BINARY : TEXT, written);
    if (to.bufferedAmount > this.limits.highWaterMark && !from.isPaused) from.pause();
  }

  private written(from: WebSocket, to: WebSocket): void {
    if (from.isPaused && to.bufferedAmount <= this.limits.lowWaterMark && from.readyState === WebSocket.OPEN) from.resume();
  }

  private control(to: WebSocket, data: Buffer, ping: boolean): void {
    this.lastActivity = performance.now();
    if (to.readyState !== WebSocket.OPEN) return;
    if (ping) to.ping(data);
    else to.pong(data);
  }

  private sideClosed(side: 'client' | 'upstream', other: WebSocket, code: number, reason: Buffer): void {
    if (this.initiator === undefined) {
      this.initiator = side;
      this.closeCode = code;
      this.closeReason = reason.toString();
      this.clearIdle();
      // A paused peer would never read the close frame's answer.
      if (other.isPaused) other.resume();
      forwardClose(other, code, reason);
    }
    if (++this.sidesClosed === 2) this.events.closed(this);
  }

  private armIdle(delay: number): void {
    // Activity only stamps `lastActivity`; the timer re-arms itself for the remainder, so a
    // busy tunnel costs no timer work per message.
    this.idleTimer = setTimeout(() => {
      const idle = performance.now() - this.lastActivity;
      const limit = this.limits.idleTimeoutMs;
      if (idle >= limit - 1) this.close(1001, 'idle timeout');
      else this.armIdle(limit - idle);
    }, delay);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
